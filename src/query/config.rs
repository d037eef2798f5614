//! The AWS Config advanced query that lists every ECS task set and service of an organisation through an
//! aggregator (`aws configservice select-aggregate-resource-config --expression …`), with exactly the
//! fields the Config reader (`ingest::config`) reads. Its output (`{"Results": ["{…}", …]}`) is an
//! inventory input of `report`, beside the findings.
//!
//! The advanced-query dialect is a subset of SELECT (AWS Config developer guide, "Querying the current
//! configuration state", Limitations): no `FROM`, `AS`, `DISTINCT`, `JOIN` or `UNION`; `SELECT *` returns
//! only the top-level scalar properties, so `configuration` and `configurationItemStatus` are named; `IN`
//! is supported. The expression is one line so it can be passed to `--expression` as it is printed.
//! Config does not answer for resources its recorder does not record (`ResourceNotRecorded`), which is why
//! the README asks for the recorder to include both types.

use super::literal;
use crate::ingest::config::{SERVICE, TASK_SET};

/// The fields selected, in the order the reader looks for them.
const FIELDS: &[&str] = &[
    "accountId",
    "awsRegion",
    "arn",
    "resourceId",
    "resourceType",
    "configurationItemCaptureTime",
    "configurationItemStatus",
    "configuration",
];

/// The query, ending with a newline.
pub fn config_query() -> String {
    format!(
        "SELECT {} WHERE resourceType IN ({}, {})\n",
        FIELDS.join(", "),
        literal(TASK_SET),
        literal(SERVICE)
    )
}
