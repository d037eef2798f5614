//! ecs16-evidence: offline evidence packs for AWS Security Hub control ECS.16
//! (ECS task sets that auto-assign public IPs) and PCI DSS v4.0.1 requirement 1.4.4.
//!
//! Data flows one way, one module per stage:
//! `ingest` (files → typed findings and inventory) → `reconcile` (one outcome per task set)
//! → `aggregate` (counts, with polars) → `render` (templates, CSV, JSON) → `pack` (atomic write).
//! `app` runs the stages for each command; `cli` turns arguments into a validated plan.

pub mod aggregate;
pub mod app;
pub mod arn;
pub mod baseline;
pub mod catalog;
pub mod cli;
pub mod dedupe;
pub mod digest;
pub mod exceptions;
pub mod history;
pub mod ingest;
pub mod manifest;
pub mod model;
pub mod pack;
pub mod period;
pub mod reconcile;
pub mod remediation;
pub mod render;
#[doc(hidden)]
pub mod testkit;
pub mod time;
