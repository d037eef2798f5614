//! ecs16-evidence: offline evidence packs for AWS Security Hub control ECS.16
//! (ECS task sets that auto-assign public IPs) and PCI DSS v4.0.1 requirement 1.4.4.
//!
//! Data flows one way, one module (or folder) per stage, each taking typed values from the one before and
//! never reaching into a later one:
//!
//! `ingest` (files → typed findings and inventory) → `dedupe` (one finding per Id) → `reconcile` (one
//! outcome per task set) → `analysis` (counts with polars, exceptions, remediation, history, baseline) →
//! `render` (templates, CSV, JSON, XLSX, in memory) → `manifest` (hashes of it all) → `pack` (atomic write)
//! → `signature` (an OpenSSH signature of the manifest, written into a pack that verifies, and checked).
//!
//! Leaves any stage may use: `model`, `network`, `arn`, `time`, `period`, `catalog`, `digest`, `escape`,
//! `json`, `safe_fs`. On top: `query` (the SQL for Athena and AWS Config that picks the evidence out of an
//! organisation's archive; printed, never run), `cli` (arguments) and `app` (the commands: a validated
//! plan, then the stages).

// Leaves.
pub mod arn;
pub mod catalog;
pub mod csv_lines;
pub mod digest;
pub mod escape;
pub mod json;
pub mod model;
pub mod network;
pub mod period;
pub mod safe_fs;
pub mod time;

// Stages, in order.
pub mod analysis;
pub mod dedupe;
pub mod ingest;
pub mod manifest;
pub mod pack;
pub mod reconcile;
pub mod render;
pub mod signature;

// The command line: `query` prints the SQL that selects the evidence where it is stored (no stage runs).
pub mod app;
pub mod cli;
pub mod query;

#[cfg(any(test, feature = "testkit"))]
pub mod testkit;

#[cfg(test)]
mod stage_order;
