//! The reachability section: how many task sets the internet reaches and how, and for each exposed task
//! set its path in words and as a small diagram (internet → gateway → route table → subnet → network ACL
//! → security group → task set, or through a load balancer), blocked steps drawn as blocked.
//!
//! The diagram's geometry is worked out here (boxes, arrows, text positions); its colours and dash
//! patterns are the stylesheet's, so it prints in greyscale with the blocked steps still told apart.

use super::Capped;
use crate::analysis::reach::{PathStep, Reach, Reachability};
use crate::analysis::Analysis;
use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
pub struct ReachView {
    /// True when some input described network resources.
    pub given: bool,
    /// What was read and what it shows, in one sentence.
    pub statement: String,
    pub counts: Vec<ReachCount>,
    /// Exposed task sets (by outcome) and every task set the internet reaches, most reachable first.
    pub rows: Capped<ReachRow>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ReachCount {
    pub code: String,
    pub label: String,
    pub meaning: String,
    pub count: u64,
}

#[derive(Debug, Clone, Serialize)]
pub struct ReachRow {
    pub task_set_arn: String,
    pub outcome: String,
    pub code: String,
    pub label: String,
    pub ports: String,
    pub path_words: String,
    /// The reason for `UNKNOWN`, then the notes.
    pub reason: String,
    pub diagram: Option<Diagram>,
}

/// The path as boxes and arrows, in a `viewBox` of `width` × `height`.
#[derive(Debug, Clone, Serialize)]
pub struct Diagram {
    pub width: u32,
    pub height: u32,
    pub boxes: Vec<DiagramBox>,
    pub arrows: Vec<Arrow>,
    /// The diagram in words, for screen readers (`<title>`).
    pub title: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct DiagramBox {
    pub x: u32,
    pub y: u32,
    pub w: u32,
    pub h: u32,
    /// The kind of step (`route table`), the first line.
    pub kind: String,
    /// The resource id, shortened to fit; the words beside the diagram give it whole.
    pub id: String,
    /// The rule, shortened to fit (`0.0.0.0/0`, `tcp/443 from 0.0.0.0/0`).
    pub rule: String,
    pub blocked: bool,
    /// Centre of the box, for the text.
    pub cx: u32,
}

#[derive(Debug, Clone, Serialize)]
pub struct Arrow {
    pub x1: u32,
    pub x2: u32,
    pub y: u32,
    pub blocked: bool,
}

const BOX_W: u32 = 132;
const BOX_H: u32 = 52;
const GAP: u32 = 26;
const MARGIN: u32 = 2;
/// Characters of an id or rule a box shows (monospace at the diagram's size).
const FITS: usize = 20;

/// A reachability value in the assessor's words.
pub fn label(v: Reachability) -> &'static str {
    match v {
        Reachability::Direct => "Directly reachable",
        Reachability::ViaLoadBalancer => "Through a load balancer",
        Reachability::PublicIpNoRoute => "Public IP, no route",
        Reachability::PublicIpFiltered => "Public IP, filtered",
        Reachability::Private => "Private",
        Reachability::Unknown => "Unknown",
    }
}

/// What a reachability value means, for the section's table.
fn meaning(v: Reachability) -> &'static str {
    match v {
        Reachability::Direct => "a public address, a route from an internet gateway, and a network ACL and security group that admit some port from the internet",
        Reachability::ViaLoadBalancer => "no direct path, but an internet-facing load balancer forwards to it (for 1.4.1/1.4.2: the ports are listed)",
        Reachability::PublicIpNoRoute => "a public address, but the subnet has no route from an internet gateway: fails ECS.16, not reachable",
        Reachability::PublicIpFiltered => "a public address and a route, but the security groups or network ACL admit nothing from the internet: fails ECS.16, not reachable",
        Reachability::Private => "no public address and no internet-facing load balancer",
        Reachability::Unknown => "the network evidence needed is missing or contradictory; the reason says which",
    }
}

fn shortened(text: &str) -> String {
    if text.chars().count() <= FITS {
        return text.to_string();
    }
    let head: String = text.chars().take(FITS - 1).collect();
    format!("{head}…")
}

/// The boxes and arrows of a path, left to right.
pub fn diagram(path: &[PathStep], words: &str) -> Option<Diagram> {
    if path.is_empty() {
        return None;
    }
    let boxes: Vec<DiagramBox> = path
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let x = MARGIN + i as u32 * (BOX_W + GAP);
            DiagramBox {
                x,
                y: MARGIN,
                w: BOX_W,
                h: BOX_H,
                kind: s.kind.as_str().to_string(),
                id: shortened(&s.id),
                rule: s.rule.as_deref().map(shortened).unwrap_or_default(),
                blocked: s.blocked,
                cx: x + BOX_W / 2,
            }
        })
        .collect();
    let arrows = boxes
        .windows(2)
        .map(|w| Arrow {
            x1: w[0].x + w[0].w,
            x2: w[1].x - 2,
            y: MARGIN + BOX_H / 2,
            blocked: w[1].blocked || w[0].blocked,
        })
        .collect();
    let n = boxes.len() as u32;
    Some(Diagram {
        width: 2 * MARGIN + n * BOX_W + (n - 1) * GAP,
        height: 2 * MARGIN + BOX_H,
        boxes,
        arrows,
        title: words.to_string(),
    })
}

fn statement(a: &Analysis) -> String {
    if a.network_counts.is_empty() {
        return "No network evidence was given (subnets, route tables, security groups, network ACLs, load balancers): every task set's reachability is UNKNOWN, and the verdict rests on the public-IP setting alone.".to_string();
    }
    let read: Vec<String> = a
        .network_counts
        .iter()
        .filter(|(_, n)| **n > 0)
        .map(|(k, n)| format!("{n} {}{}", k.as_str(), if *n == 1 { "" } else { "s" }))
        .collect();
    let reached = a
        .reach
        .iter()
        .filter(|r| {
            matches!(
                r.value,
                Reachability::Direct | Reachability::ViaLoadBalancer
            )
        })
        .count();
    format!(
        "Network evidence read: {}. The internet reaches {reached} of {} task set{}, directly or through a load balancer.",
        read.join(", "),
        a.reach.len(),
        if a.reach.len() == 1 { "" } else { "s" }
    )
}

fn row(r: &crate::reconcile::Row, reach: &Reach) -> ReachRow {
    ReachRow {
        task_set_arn: r.task_set_arn.clone(),
        outcome: r.outcome.code().to_string(),
        code: reach.value.as_str().to_string(),
        label: label(reach.value).to_string(),
        ports: reach.ports_text(),
        path_words: reach.path_words.clone(),
        reason: reach.explanation(),
        diagram: diagram(&reach.path, &reach.path_words),
    }
}

pub fn view(a: &Analysis) -> ReachView {
    let counts = Reachability::ALL
        .iter()
        .map(|v| ReachCount {
            code: v.as_str().to_string(),
            label: label(*v).to_string(),
            meaning: meaning(*v).to_string(),
            count: a.reach.iter().filter(|r| r.value == *v).count() as u64,
        })
        .collect();
    let mut shown: Vec<(&crate::reconcile::Row, &Reach)> = a
        .rows
        .iter()
        .zip(&a.reach)
        .filter(|(r, x)| {
            r.outcome.is_exposed()
                || matches!(
                    x.value,
                    Reachability::Direct | Reachability::ViaLoadBalancer
                )
        })
        .collect();
    shown.sort_by(|(r1, x1), (r2, x2)| {
        (x1.value, &r1.task_set_arn).cmp(&(x2.value, &r2.task_set_arn))
    });
    ReachView {
        given: !a.network_counts.is_empty(),
        statement: statement(a),
        counts,
        rows: Capped::first(shown.into_iter().map(|(r, x)| row(r, x))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::reach::StepKind;

    fn step(kind: StepKind, id: &str, blocked: bool) -> PathStep {
        PathStep {
            kind,
            id: id.to_string(),
            rule: None,
            blocked,
        }
    }

    #[test]
    fn a_path_is_boxes_left_to_right_and_a_blocked_step_blocks_its_arrow() {
        let path = [
            step(StepKind::Internet, "internet", false),
            step(StepKind::InternetGateway, "igw-0a1b2c3d4e5f60001", false),
            step(StepKind::SecurityGroup, "sg-0a1b2c3d4e5f6000012345", true),
        ];
        let d = diagram(&path, "words").unwrap();
        assert_eq!(d.boxes.len(), 3);
        assert!(d.boxes.windows(2).all(|w| w[0].x + w[0].w < w[1].x));
        assert_eq!(d.width, d.boxes[2].x + BOX_W + MARGIN);
        assert_eq!(
            d.arrows.iter().map(|a| a.blocked).collect::<Vec<_>>(),
            [false, true]
        );
        assert_eq!(d.boxes[2].id.chars().count(), FITS);
        assert!(d.boxes[2].id.ends_with('…'));
        assert!(diagram(&[], "").is_none());
    }
}
