//! The report's words about itself, in one place for both templates: the sign-off block of the cover, the
//! testing procedures of requirement 1.4.4, one line per report section saying which procedure it
//! supports and what it does not show, and the glossary. The HTML and the Markdown print these strings;
//! neither template holds a word of them, so the two cannot drift apart.
//!
//! The testing procedures are paraphrased, not quoted: the wording was checked against copies of the
//! standard published by third parties, not against the PCI SSC's own document, and the report says so.

use super::CoverText;
use serde::Serialize;
use std::collections::BTreeMap;

/// A line to sign or write on: what a name, a signature or a date that was not given shows. Never "not
/// given": the block is filled in by hand on the printed report.
pub const BLANK: &str = "________________";

/// The cover's sign-off block: who prepared and reviewed the pack, and management's attestation, each
/// with a line for a signature and one for a date.
#[derive(Debug, Clone, Serialize)]
pub struct SignoffView {
    /// What a blank line looks like ([`BLANK`]).
    pub blank: String,
    /// What each signature means, in one sentence.
    pub statement: String,
    pub rows: Vec<SignoffRow>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SignoffRow {
    /// `prepared_by`, `reviewed_by`, `management`.
    pub id: String,
    pub role: String,
    /// The name as given on the command line, or empty (the template then shows `blank`).
    pub name: String,
}

/// The sign-off block for the names given.
pub fn signoff(cover: &CoverText) -> SignoffView {
    let name = |n: &Option<String>| n.clone().unwrap_or_default();
    let row = |id: &str, role: &str, name: String| SignoffRow {
        id: id.to_string(),
        role: role.to_string(),
        name,
    };
    SignoffView {
        blank: BLANK.to_string(),
        statement: "By signing, the preparer states that this pack was built from the inputs and with the \
                    options manifest.json records; the reviewer, that they reviewed it and its conclusions; \
                    management, that those inputs are complete for the scope and period shown and that the \
                    exceptions listed are approved."
            .to_string(),
        rows: vec![
            row("prepared_by", "Prepared by", name(&cover.prepared_by)),
            row("reviewed_by", "Reviewed by", name(&cover.reviewed_by)),
            row("management", "Management attestation", String::new()),
        ],
    }
}

/// The method of the report: the procedures, a line per section, the glossary.
#[derive(Debug, Clone, Serialize)]
pub struct MethodView {
    /// The defined-approach testing procedures of requirement 1.4.4, paraphrased.
    pub procedures: Vec<Procedure>,
    /// Where the procedures' wording comes from.
    pub procedures_note: String,
    /// One line per report section, by the id of its heading (`summary`, `population`, …).
    pub sections: BTreeMap<String, SectionLine>,
    pub glossary: Vec<Term>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Procedure {
    /// `1.4.4.a`, `1.4.4.b`.
    pub id: String,
    /// A few words naming it (`diagrams`, `NSC configurations`).
    pub short: String,
    pub text: String,
}

/// What a section of the report supports and what it does not show.
#[derive(Debug, Clone, Serialize)]
pub struct SectionLine {
    pub supports: String,
    pub not_shown: String,
    /// Both in one sentence pair, as the reports print it.
    pub line: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Term {
    /// A stable anchor (`exposed`, `in-scope`, …).
    pub id: String,
    pub term: String,
    pub definition: String,
}

/// What each section supports and does not show, by the id of its heading. `scope` is the scope section's
/// (issue 13, section 1).
const SECTIONS: &[(&str, &str, &str)] = &[
    // Each line fits one printed line of a portrait page (about 140 characters with "Not shown").
    (
        "summary",
        "Supports 1.4.4.b (NSC configurations): the result over every task set examined",
        "other system components; 1.4.4.a's diagrams",
    ),
    (
        "scope",
        "Supports 1.4.4.a (diagrams): the scope declared and the data-flow diagrams it cites",
        "the diagrams themselves",
    ),
    (
        "control",
        "Supports 1.4.4.b (NSC configurations): which AWS check is evidence, and why for 1.4.4",
        "ECS.2, S3.1 and other checks mapped to 1.4.4",
    ),
    (
        "method",
        "Supports 1.4.4.b (NSC configurations): how two readings become one outcome",
        "evidence; see Results per outcome",
    ),
    (
        "glossary",
        "Supports no testing procedure: the words the other sections use",
        "anything about the environment",
    ),
    (
        "population",
        "Supports 1.4.4.b (NSC configurations): 100 % of the population examined, and where evidence may not reach",
        "places no input covers",
    ),
    (
        "reachability",
        "Supports 1.4.4.b (NSC configurations): the network controls between the internet and each task set",
        "controls no input describes",
    ),
    (
        "results",
        "Supports 1.4.4.b (NSC configurations): each task set's assignPublicIp beside Security Hub's finding",
        "which task sets store cardholder data",
    ),
    (
        "accounts",
        "Supports 1.4.4.b (NSC configurations): the same results per account, region and service",
        "anything not in Results per outcome",
    ),
    (
        "history",
        "Supports 1.4.4.b (NSC configurations) over the period: when each exposure began and ended",
        "exposures between two exports",
    ),
    (
        "changes",
        "Supports 1.4.4.b (NSC configurations): what changed since the previous pack",
        "whether that pack's inputs were complete",
    ),
    (
        "period",
        "Supports 1.4.4.b (NSC configurations): that what was read is dated inside the period",
        "the state at times no input covers",
    ),
    (
        "exceptions",
        "Supports the review of compensating controls and customized approaches: suppressions and their basis",
        "that a control works",
    ),
    (
        "remediation",
        "Supports no testing procedure: the fix and its status are the entity's",
        "that a fix was made (the next pack does)",
    ),
    (
        "inputs",
        "Supports every procedure above: the files each conclusion rests on, by SHA-256",
        "that they cover every account and region in scope",
    ),
    (
        "runbooks",
        "Supports no testing procedure: commands for the entity",
        "that they were run",
    ),
];

const GLOSSARY: &[(&str, &str, &str)] = &[
    (
        "exposed",
        "Exposed",
        "A task set that something says gets a public IP: outcome NON_COMPLIANT, RISK_ACCEPTED, \
         UNASSESSED_EXPOSED or CONFLICT.",
    ),
    (
        "in-scope",
        "In scope",
        "In the population the conclusion is about: scope stores-chd, cde, or undeclared (no row of the \
         scope file matches). Without a scope file, every task set seen.",
    ),
    (
        "not-covered",
        "NOT_COVERED",
        "No inventory input describes the task set (no ECS dump of its service, no AWS Config data of its \
         account and region): only Security Hub speaks for it.",
    ),
    (
        "consolidated-findings",
        "Consolidated findings",
        "Security Hub's consolidated control findings. On: one finding per control and resource. Off: one \
         per enabled standard; when copies disagree, the PCI DSS copy decides.",
    ),
    (
        "as-of",
        "as_of",
        "The moment the pack describes: the newest time a service stamped on the inputs, or --as-of. Never \
         the clock.",
    ),
    (
        "pack-id",
        // Lower case, as the printed footer says it ("pack id 0123…").
        "pack id",
        "The first 12 hex digits of the SHA-256 of manifest.json without pack_id, outputs and \
         tool.executable_sha256: same inputs, options and tool version, same id.",
    ),
    (
        "reachability",
        "Reachability",
        "Whether the internet reaches a task set through the routes, network ACLs, security groups and load \
         balancers the inputs describe; UNKNOWN without them.",
    ),
    (
        "suppressed",
        "Suppressed in Security Hub",
        "Workflow status SUPPRESSED, set by someone in Security Hub (outcome code RISK_ACCEPTED). Alone it is \
         no PCI DSS exception: the register gives the basis, if any.",
    ),
    (
        "compensating-control",
        "Compensating control",
        "Meets the intent of a requirement the entity cannot meet as written, documented on a compensating \
         control worksheet (PCI DSS Appendices B and C). Counts here only through a register entry with that \
         basis, the worksheet's reference, an approver and an expiry after as_of.",
    ),
    (
        "customized-approach",
        "Customized approach",
        "Meets a requirement's stated objective in another way, backed by a targeted risk analysis (PCI DSS \
         Appendix D). Counts here only through a register entry with that basis, the analysis's reference, \
         an approver and an expiry after as_of.",
    ),
];

/// The method of the report, the same for every pack.
pub fn view() -> MethodView {
    let text = |s: &str| s.to_string();
    MethodView {
        procedures: vec![
            Procedure {
                id: text("1.4.4.a"),
                short: text("diagrams"),
                text: text(
                    "Examine the data-flow and network diagrams: they document that system components \
                     storing cardholder data are not directly accessible from untrusted networks.",
                ),
            },
            Procedure {
                id: text("1.4.4.b"),
                short: text("NSC configurations"),
                text: text(
                    "Examine the configurations of network security controls (NSCs): controls are in place \
                     so that system components storing cardholder data are not directly accessible from \
                     untrusted networks.",
                ),
            },
        ],
        procedures_note: text(
            "The defined-approach testing procedures of PCI DSS v4.0.1 requirement 1.4.4, paraphrased: the \
             standard has the exact words. Its applicability note leaves out data held only in volatile memory.",
        ),
        sections: SECTIONS
            .iter()
            .map(|(id, supports, not_shown)| {
                let line = SectionLine {
                    supports: text(supports),
                    not_shown: text(not_shown),
                    line: format!("{supports}. Not shown: {not_shown}."),
                };
                (text(id), line)
            })
            .collect(),
        glossary: GLOSSARY
            .iter()
            .map(|(id, term, definition)| Term {
                id: text(id),
                term: text(term),
                definition: text(definition),
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const A: &str = "1.4.4.a (diagrams)";
    const B: &str = "1.4.4.b (NSC configurations)";

    #[test]
    fn every_section_line_names_a_procedure_or_says_it_supports_none() {
        let m = view();
        for (id, s) in &m.sections {
            let names = s.supports.contains(A) || s.supports.contains(B);
            let none = s.supports.starts_with("Supports no testing procedure")
                || s.supports.starts_with("Supports every procedure")
                || s.supports
                    .contains("compensating controls and customized approaches");
            assert!(names || none, "{id}: {}", s.supports);
            assert!(!s.not_shown.is_empty() && s.line.contains(". Not shown: "));
            // One printed line of a portrait page.
            assert!(s.line.chars().count() <= 150, "{id}: {}", s.line);
        }
        assert_eq!(m.procedures.len(), 2);
    }

    #[test]
    fn a_name_not_given_is_blank_never_not_given() {
        let v = signoff(&CoverText {
            prepared_by: Some("A. Preparer".into()),
            ..Default::default()
        });
        let names: Vec<&str> = v.rows.iter().map(|r| r.name.as_str()).collect();
        assert_eq!(names, ["A. Preparer", "", ""]);
        assert_eq!(v.blank, "________________");
        assert!(!v.statement.contains("not given"));
    }
}
