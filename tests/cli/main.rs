//! End-to-end tests: the binary run on the shipped samples and on small inputs built for one behaviour each.
//! One test binary (faster to link than one per file); each module is one feature.

mod support;

mod bounded;
mod browser;
mod cmd;
mod collector;
mod contract;
mod determinism;
mod errors;
mod evidence;
mod golden;
mod history;
mod hostile;
mod html;
mod inert;
mod integrity;
mod inventory;
mod network;
mod outcomes;
mod panics;
mod parallel;
mod pixels;
mod query;
mod reach;
mod sacred;
mod samples;
mod shapes;
mod signature;
mod signoff;
mod unbent;
pub mod verdict;
mod workbook;
