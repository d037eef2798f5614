//! The baseline of the benchmark: one single-threaded serde_json pass over a `get-findings` file that keeps
//! only the fields needed to select ECS.16 and count by account and status (typed, no output files).
//!
//! `cargo run --release --example serde_baseline -- FILE` reads the whole file into memory and parses it
//! with `from_slice`, serde_json's fastest way (and the memory of the whole file); `-- FILE --reader`
//! streams it through a `BufReader` with `from_reader`, which holds almost nothing but parses byte by
//! byte through the `Read` trait and is several times slower.
use serde::de::{Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::fmt;

#[derive(Deserialize)]
#[allow(non_snake_case)]
struct Finding {
    AwsAccountId: String,
    Compliance: Option<Compliance>,
}

#[derive(Deserialize)]
#[allow(non_snake_case)]
struct Compliance {
    Status: Option<String>,
    SecurityControlId: Option<String>,
}

struct Page(BTreeMap<(String, String), u64>);

impl<'de> Visitor<'de> for &mut Page {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a get-findings page")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(k) = map.next_key::<String>()? {
            if k == "Findings" {
                map.next_value_seed(Findings(&mut self.0))?;
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(())
    }
}

struct Findings<'a>(&'a mut BTreeMap<(String, String), u64>);
impl<'de> serde::de::DeserializeSeed<'de> for Findings<'_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}
impl<'de> Visitor<'de> for Findings<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("findings")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while let Some(f) = seq.next_element::<Finding>()? {
            if let Some(c) = f.Compliance {
                if c.SecurityControlId.as_deref() == Some("ECS.16") {
                    *self
                        .0
                        .entry((f.AwsAccountId, c.Status.unwrap_or_default()))
                        .or_default() += 1;
                }
            }
        }
        Ok(())
    }
}

fn main() {
    let path = std::env::args().nth(1).expect("a get-findings file");
    let streaming = std::env::args().nth(2).as_deref() == Some("--reader");
    let mut page = Page(BTreeMap::new());
    if streaming {
        let file = std::io::BufReader::with_capacity(
            1 << 20,
            std::fs::File::open(&path).expect("readable"),
        );
        let mut de = serde_json::Deserializer::from_reader(file);
        de.deserialize_map(&mut page).expect("a valid page");
    } else {
        let bytes = std::fs::read(&path).expect("readable");
        let mut de = serde_json::Deserializer::from_slice(&bytes);
        de.deserialize_map(&mut page).expect("a valid page");
    }
    let total: u64 = page.0.values().sum();
    println!(
        "{} account/status groups, {total} ECS.16 findings",
        page.0.len()
    );
}
