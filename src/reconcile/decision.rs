//! The outcome of a task set, decided from four facts and nothing else: what the inventory says, the usable
//! Security Hub verdict, whether that verdict is suppressed, and whether the task set's only findings are
//! archived. A pure function, so every combination of its inputs is tested in one table below; the words
//! of the reason are built from its result afterwards (`reason`), never patched into it.

use super::{InventoryState, Outcome};

/// A Security Hub verdict the outcome can rest on. WARNING, NOT_AVAILABLE and unknown values are not
/// usable: they count as no verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Failed,
    Passed,
}

/// Which rule decided, so the reason can say it in words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rule {
    /// The inventory says the task set no longer exists.
    InventorySaysGone,
    /// Only archived findings, and no dump covers it.
    ArchivedAndUncovered,
    /// FAILED in Security Hub, DISABLED in the dump: a task set's network configuration cannot change.
    FailedButDisabled,
    /// PASSED in Security Hub, ENABLED in the dump.
    PassedButEnabled,
    /// FAILED and suppressed.
    FailedSuppressed,
    FailedAgreed,
    PassedAgreed,
    /// No usable verdict, and the dump says ENABLED.
    NoVerdictEnabled,
    /// No usable verdict, and the dump says DISABLED.
    NoVerdictDisabled,
    /// No usable verdict and no dump: exposure unknown.
    NoVerdictUncovered,
}

/// The decision: the outcome and the rule that gave it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Decision {
    pub outcome: Outcome,
    pub rule: Rule,
}

/// Decides a task set's outcome.
pub fn decide(
    inventory: InventoryState,
    verdict: Option<Verdict>,
    suppressed: bool,
    archived_only: bool,
) -> Decision {
    use InventoryState as I;
    use Verdict as V;
    let (outcome, rule) = match (inventory, verdict) {
        (I::Missing, _) => (Outcome::Gone, Rule::InventorySaysGone),
        (I::NotCovered, None) if archived_only => (Outcome::Gone, Rule::ArchivedAndUncovered),
        (I::Disabled, Some(V::Failed)) => (Outcome::Conflict, Rule::FailedButDisabled),
        (I::Enabled, Some(V::Passed)) => (Outcome::Conflict, Rule::PassedButEnabled),
        (I::Enabled | I::NotCovered, Some(V::Failed)) if suppressed => {
            (Outcome::RiskAccepted, Rule::FailedSuppressed)
        }
        (I::Enabled | I::NotCovered, Some(V::Failed)) => {
            (Outcome::NonCompliant, Rule::FailedAgreed)
        }
        (I::Disabled | I::NotCovered, Some(V::Passed)) => (Outcome::Compliant, Rule::PassedAgreed),
        (I::Enabled, None) => (Outcome::UnassessedExposed, Rule::NoVerdictEnabled),
        (I::Disabled, None) => (Outcome::Unassessed, Rule::NoVerdictDisabled),
        (I::NotCovered, None) => (Outcome::Unassessed, Rule::NoVerdictUncovered),
    };
    Decision { outcome, rule }
}

#[cfg(test)]
mod tests {
    use super::*;
    use InventoryState::*;
    use Outcome::*;

    /// Every combination of the four inputs: inventory, verdict (`-` none usable, `F` FAILED, `P` PASSED),
    /// suppressed, archived-only, and the outcome. Suppression only matters for a FAILED verdict, and
    /// archived-only only when nothing covers the task set and no verdict is usable.
    const TABLE: &[(InventoryState, char, bool, bool, Outcome)] = &[
        (Enabled, '-', false, false, UnassessedExposed),
        (Enabled, '-', false, true, UnassessedExposed),
        (Enabled, '-', true, false, UnassessedExposed),
        (Enabled, '-', true, true, UnassessedExposed),
        (Enabled, 'F', false, false, NonCompliant),
        (Enabled, 'F', false, true, NonCompliant),
        (Enabled, 'F', true, false, RiskAccepted),
        (Enabled, 'F', true, true, RiskAccepted),
        (Enabled, 'P', false, false, Conflict),
        (Enabled, 'P', false, true, Conflict),
        (Enabled, 'P', true, false, Conflict),
        (Enabled, 'P', true, true, Conflict),
        (Disabled, '-', false, false, Unassessed),
        (Disabled, '-', false, true, Unassessed),
        (Disabled, '-', true, false, Unassessed),
        (Disabled, '-', true, true, Unassessed),
        (Disabled, 'F', false, false, Conflict),
        (Disabled, 'F', false, true, Conflict),
        (Disabled, 'F', true, false, Conflict),
        (Disabled, 'F', true, true, Conflict),
        (Disabled, 'P', false, false, Compliant),
        (Disabled, 'P', false, true, Compliant),
        (Disabled, 'P', true, false, Compliant),
        (Disabled, 'P', true, true, Compliant),
        (Missing, '-', false, false, Gone),
        (Missing, '-', false, true, Gone),
        (Missing, '-', true, false, Gone),
        (Missing, '-', true, true, Gone),
        (Missing, 'F', false, false, Gone),
        (Missing, 'F', false, true, Gone),
        (Missing, 'F', true, false, Gone),
        (Missing, 'F', true, true, Gone),
        (Missing, 'P', false, false, Gone),
        (Missing, 'P', false, true, Gone),
        (Missing, 'P', true, false, Gone),
        (Missing, 'P', true, true, Gone),
        (NotCovered, '-', false, false, Unassessed),
        (NotCovered, '-', false, true, Gone),
        (NotCovered, '-', true, false, Unassessed),
        (NotCovered, '-', true, true, Gone),
        (NotCovered, 'F', false, false, NonCompliant),
        (NotCovered, 'F', false, true, NonCompliant),
        (NotCovered, 'F', true, false, RiskAccepted),
        (NotCovered, 'F', true, true, RiskAccepted),
        (NotCovered, 'P', false, false, Compliant),
        (NotCovered, 'P', false, true, Compliant),
        (NotCovered, 'P', true, false, Compliant),
        (NotCovered, 'P', true, true, Compliant),
    ];

    #[test]
    fn every_combination_of_the_inputs_has_its_outcome() {
        assert_eq!(
            TABLE.len(),
            4 * 3 * 2 * 2,
            "the table covers every combination"
        );
        for &(inventory, verdict, suppressed, archived_only, want) in TABLE {
            let verdict = match verdict {
                'F' => Some(Verdict::Failed),
                'P' => Some(Verdict::Passed),
                _ => None,
            };
            let got = decide(inventory, verdict, suppressed, archived_only).outcome;
            assert_eq!(
                got, want,
                "{inventory:?} {verdict:?} suppressed={suppressed} archived_only={archived_only}"
            );
        }
        // No two rows describe the same inputs.
        let mut keys: Vec<_> = TABLE.iter().map(|r| (r.0, r.1, r.2, r.3)).collect();
        keys.sort();
        keys.dedup();
        assert_eq!(keys.len(), TABLE.len());
    }
}
