//! The scope file (`--scope FILE`): which accounts, regions, clusters and services the customer's CDE
//! documentation puts in PCI DSS scope, and how.
//!
//! A CSV with header `account_id,region,cluster,service,scope,data_flow_ref`. `scope` is one of
//! `stores-chd` (the component stores cardholder data), `cde` (in the cardholder data environment),
//! `connected` (connected-to or security-impacting), `out-of-scope`. `region`, `cluster` and `service` may be
//! `*`. For a task set the most specific matching row wins: the one with the most fields that are not `*`;
//! among rows equally specific, the service beats the cluster and the cluster the region (a row naming the
//! service is about that service), then the earlier line. A task set no row matches is `undeclared`.
//!
//! The data-flow diagram is the customer's: the pack cites `data_flow_ref`, it does not contain it.

use serde::Serialize;
use std::collections::BTreeMap;
use std::path::Path;

/// The largest scope file read: a hand-kept list.
const SCOPE_LIMIT: u64 = 64 * 1024 * 1024;

pub const SCOPE_COLUMNS: [&str; 6] = [
    "account_id",
    "region",
    "cluster",
    "service",
    "scope",
    "data_flow_ref",
];

/// Where a task set stands in PCI DSS scope.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Scope {
    StoresChd,
    Cde,
    Connected,
    OutOfScope,
    /// No row of the scope file matches (or no scope file was given): treated as in scope.
    Undeclared,
}

impl Scope {
    pub const ALL: [Scope; 5] = [
        Scope::StoresChd,
        Scope::Cde,
        Scope::Connected,
        Scope::OutOfScope,
        Scope::Undeclared,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Scope::StoresChd => "stores-chd",
            Scope::Cde => "cde",
            Scope::Connected => "connected",
            Scope::OutOfScope => "out-of-scope",
            Scope::Undeclared => "undeclared",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Scope::StoresChd => "Stores cardholder data",
            Scope::Cde => "In the CDE",
            Scope::Connected => "Connected-to / security-impacting",
            Scope::OutOfScope => "Out of scope",
            Scope::Undeclared => "Undeclared (treated as in scope)",
        }
    }

    /// The values a scope file may give (`undeclared` is what no row gives).
    fn parse(text: &str) -> Option<Scope> {
        Scope::ALL
            .into_iter()
            .filter(|s| *s != Scope::Undeclared)
            .find(|s| s.code() == text)
    }

    /// In PCI DSS scope at all: everything but `out-of-scope`.
    pub fn in_pci_scope(self) -> bool {
        self != Scope::OutOfScope
    }

    /// What requirement 1.4.4 is about: components that store cardholder data, in the CDE, or whose scope
    /// nobody declared (the conservative reading).
    pub fn counts_for_1_4_4(self) -> bool {
        matches!(self, Scope::StoresChd | Scope::Cde | Scope::Undeclared)
    }
}

impl Serialize for Scope {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.code())
    }
}

/// One row of the scope file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ScopeEntry {
    pub line: u64,
    pub account_id: String,
    /// `*` for any.
    pub region: String,
    pub cluster: String,
    pub service: String,
    pub scope: Scope,
    pub data_flow_ref: String,
}

/// Where a task set (or a place the evidence may not reach) lives.
#[derive(Debug, Clone, Copy)]
pub struct Location<'a> {
    pub account_id: &'a str,
    pub region: &'a str,
    pub cluster: &'a str,
    pub service: &'a str,
}

impl ScopeEntry {
    fn key(&self) -> (&str, &str, &str, &str) {
        (&self.account_id, &self.region, &self.cluster, &self.service)
    }

    /// How specifically the row matches: `None` when it does not. Fields not `*`, then service over
    /// cluster over region.
    fn specificity(&self, at: &Location) -> Option<(usize, bool, bool, bool)> {
        let fits = |pattern: &str, value: &str| pattern == "*" || pattern == value;
        let matched = self.account_id == at.account_id
            && fits(&self.region, at.region)
            && fits(&self.cluster, at.cluster)
            && fits(&self.service, at.service);
        let named = |p: &str| p != "*";
        matched.then(|| {
            let (r, c, s) = (
                named(&self.region),
                named(&self.cluster),
                named(&self.service),
            );
            (usize::from(r) + usize::from(c) + usize::from(s), s, c, r)
        })
    }
}

/// The scope file's rows; with none given, every task set is `undeclared`.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ScopeFile {
    pub entries: Vec<ScopeEntry>,
}

impl ScopeFile {
    /// The row that decides a location's scope, when one matches.
    pub fn entry_for(&self, at: &Location) -> Option<&ScopeEntry> {
        self.entries
            .iter()
            .filter_map(|e| e.specificity(at).map(|s| (s, std::cmp::Reverse(e.line), e)))
            .max_by(|a, b| (a.0, a.1).cmp(&(b.0, b.1)))
            .map(|(_, _, e)| e)
    }

    pub fn scope_of(&self, at: &Location) -> Scope {
        self.entry_for(at).map_or(Scope::Undeclared, |e| e.scope)
    }
}

/// The scope of an account, region, cluster and service: `undeclared` without a scope file.
pub fn scope_at(
    file: Option<&ScopeFile>,
    [account_id, region, cluster, service]: [&str; 4],
) -> Scope {
    file.map_or(Scope::Undeclared, |f| {
        f.scope_of(&Location {
            account_id,
            region,
            cluster,
            service,
        })
    })
}

/// A scope file that cannot be used: its path, the line when the problem has one, and what is wrong.
pub type ScopeError = crate::csv_lines::LineError<ScopeProblem>;

#[derive(Debug, thiserror::Error)]
pub enum ScopeProblem {
    #[error(transparent)]
    Table(#[from] crate::csv_lines::CsvLineError),
    #[error(transparent)]
    Unreadable(crate::safe_fs::FsError),
    #[error("scope: {0:?} is not one of stores-chd, cde, connected, out-of-scope")]
    UnknownScope(String),
    #[error("account_id: {0:?} is not a 12-digit AWS account id (`*` is not allowed here)")]
    NotAnAccount(String),
    #[error("{column} is empty: give a name or `*`")]
    Empty { column: &'static str },
    #[error("the same account, region, cluster and service as line {first}, with another scope ({first_scope} there, {scope} here)")]
    Contradicts {
        first: u64,
        first_scope: &'static str,
        scope: &'static str,
    },
}

/// Reads the scope file. Errors say `PATH:LINE: what is wrong`.
pub fn load(path: &Path) -> Result<ScopeFile, ScopeError> {
    let error = |line: Option<u64>, problem: ScopeProblem| ScopeError {
        path: path.display().to_string(),
        line,
        problem,
    };
    let bytes = crate::safe_fs::read_regular(path, SCOPE_LIMIT)
        .map_err(|e| error(None, ScopeProblem::Unreadable(e)))?;
    let rows = crate::csv_lines::records(&bytes, &SCOPE_COLUMNS)
        .map_err(|e| error(Some(e.line()), e.into()))?;
    let mut entries: Vec<ScopeEntry> = Vec::new();
    let mut seen: BTreeMap<(String, String, String, String), (u64, Scope)> = BTreeMap::new();
    for (line, fields) in rows {
        let [account_id, region, cluster, service, scope, data_flow_ref] =
            <[String; 6]>::try_from(fields).expect("one field per column");
        if !crate::arn::is_account_id(&account_id) {
            return Err(error(Some(line), ScopeProblem::NotAnAccount(account_id)));
        }
        for (column, value) in [
            ("region", &region),
            ("cluster", &cluster),
            ("service", &service),
        ] {
            if value.is_empty() {
                return Err(error(Some(line), ScopeProblem::Empty { column }));
            }
        }
        let scope = Scope::parse(&scope)
            .ok_or_else(|| error(Some(line), ScopeProblem::UnknownScope(scope)))?;
        let entry = ScopeEntry {
            line,
            account_id,
            region,
            cluster,
            service,
            scope,
            data_flow_ref,
        };
        let key = entry.key();
        let key = (
            key.0.to_string(),
            key.1.to_string(),
            key.2.to_string(),
            key.3.to_string(),
        );
        match seen.get(&key) {
            Some((first, first_scope)) if *first_scope != scope => {
                return Err(error(
                    Some(line),
                    ScopeProblem::Contradicts {
                        first: *first,
                        first_scope: first_scope.code(),
                        scope: scope.code(),
                    },
                ));
            }
            Some(_) => {}
            None => {
                seen.insert(key, (line, scope));
            }
        }
        entries.push(entry);
    }
    Ok(ScopeFile { entries })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(text: &str) -> Result<ScopeFile, String> {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("scope.csv");
        std::fs::write(&p, text).unwrap();
        load(&p).map_err(|e| e.to_string().replace(&p.display().to_string(), "PATH"))
    }

    const HEADER: &str = "account_id,region,cluster,service,scope,data_flow_ref\n";

    fn at<'a>(region: &'a str, cluster: &'a str, service: &'a str) -> Location<'a> {
        Location {
            account_id: "111122223333",
            region,
            cluster,
            service,
        }
    }

    #[test]
    fn the_most_specific_row_wins_and_no_row_is_undeclared() {
        let f = file(&format!(
            "{HEADER}111122223333,*,*,*,connected,DFD-1\n\
             111122223333,eu-west-1,payments,*,cde,DFD-2\n\
             111122223333,eu-west-1,payments,card-api,stores-chd,DFD-3\n\
             111122223333,*,*,reporting,out-of-scope,\n"
        ))
        .unwrap();
        assert_eq!(
            f.scope_of(&at("eu-west-1", "payments", "card-api")),
            Scope::StoresChd
        );
        assert_eq!(f.scope_of(&at("eu-west-1", "payments", "web")), Scope::Cde);
        assert_eq!(
            f.scope_of(&at("us-east-1", "payments", "web")),
            Scope::Connected
        );
        // One named field each: the service beats the cluster.
        assert_eq!(
            f.scope_of(&at("us-east-1", "x", "reporting")),
            Scope::OutOfScope
        );
        let other = Location {
            account_id: "444455556666",
            ..at("eu-west-1", "payments", "card-api")
        };
        assert_eq!(f.scope_of(&other), Scope::Undeclared);
    }

    #[test]
    fn a_bad_scope_file_is_refused_with_its_line() {
        assert_eq!(
            file(&format!("{HEADER}111122223333,*,*,*,pci,\n")).unwrap_err(),
            "PATH:2: scope: \"pci\" is not one of stores-chd, cde, connected, out-of-scope"
        );
        assert!(file("account_id,region,cluster,scope,data_flow_ref\n")
            .unwrap_err()
            .starts_with("PATH:1: the header must name the columns"));
        assert_eq!(
            file(&format!(
                "{HEADER}111122223333,*,*,*,cde,\n111122223333,*,*,*,cde,DFD\n111122223333,*,*,*,connected,\n"
            ))
            .unwrap_err(),
            "PATH:4: the same account, region, cluster and service as line 2, with another scope (cde there, connected here)"
        );
        assert_eq!(
            file(&format!("{HEADER}*,*,*,*,cde,\n")).unwrap_err(),
            "PATH:2: account_id: \"*\" is not a 12-digit AWS account id (`*` is not allowed here)"
        );
        assert_eq!(
            file(&format!("{HEADER}111122223333,,*,*,cde,\n")).unwrap_err(),
            "PATH:2: region is empty: give a name or `*`"
        );
    }

    #[test]
    fn a_register_saved_by_excel_reads_alike() {
        let f = file(&format!(
            "\u{feff}{}111122223333,*,*,*,cde,DFD\r\n\r\n",
            HEADER.replace('\n', "\r\n")
        ))
        .unwrap();
        assert_eq!(f.entries.len(), 1);
        assert_eq!(f.entries[0].line, 2);
    }
}
