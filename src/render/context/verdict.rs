//! The verdict on 1.4.4 in the report's words: one line an assessor can quote, then why and what the pack
//! does not examine (`analysis::verdict` decided it and wrote those sentences).

use super::VerdictView;
use crate::analysis::verdict::Status;
use crate::analysis::Analysis;

/// What the status means, after its name, in the line an assessor quotes.
fn headline(a: &Analysis) -> String {
    let v = &a.verdict;
    match v.status {
        Status::NotInPlace => {
            let n = v.counts.exposed_without_exception;
            format!(
                "{n} task set{} in scope {} exposed without a valid exception",
                if n == 1 { "" } else { "s" },
                if n == 1 { "is" } else { "are" }
            )
        }
        Status::NotTested => {
            "no exposure found, but the evidence cannot show the whole population".to_string()
        }
        Status::InPlaceWithCcw => {
            "the only exposures in scope are covered by valid compensating controls".to_string()
        }
        Status::InPlaceCustomized => {
            "the only exposures in scope are covered by a valid customized approach".to_string()
        }
        Status::InPlace => {
            "no task set in scope is exposed, and the population is complete".to_string()
        }
        Status::NotApplicable => {
            "no task set stores cardholder data, is in the CDE or is undeclared".to_string()
        }
    }
}

pub fn view(a: &Analysis) -> VerdictView {
    let v = &a.verdict;
    VerdictView {
        requirement: v.requirement.to_string(),
        status: v.status.code().to_string(),
        line: format!(
            "PCI DSS v4.0.1 requirement {}: {} ({}) as of {}: {}.",
            v.requirement,
            v.status.label(),
            v.status.code(),
            crate::time::format(&a.as_of),
            headline(a)
        ),
        rests_on: v.rests_on.clone(),
        limits: v.limits.clone(),
    }
}
