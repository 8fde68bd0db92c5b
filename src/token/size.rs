//! Token size: bytes per part, the claims that take the most room, and the budgets of real
//! HTTP stacks a token must fit in.

use serde_json::{Map, Value};

use crate::text::cut;
use crate::token::compact::PartSizes;

/// A size a token must stay under to travel somewhere, and where that limit comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Budget {
    /// The limit in bytes.
    pub bytes: usize,
    /// Where it applies.
    pub what: &'static str,
}

/// The budgets that matter in practice, smallest first.
pub const BUDGETS: [Budget; 2] = [
    Budget {
        bytes: 4096,
        what: "one browser cookie, name and value (RFC 6265)",
    },
    Budget {
        bytes: 8192,
        what: "one request header in nginx's default buffers (Apache allows 8190, Tomcat 8 KiB for all headers)",
    },
];

/// How much room one claim takes in the encoded token (approximately: its compact JSON
/// `"name":value` member, times 4/3 for base64url).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ClaimSize {
    /// The claim name.
    pub name: String,
    /// Encoded bytes it accounts for.
    pub bytes: usize,
}

/// A token's size, part by part, with its largest claims.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SizeReport {
    /// Encoded part lengths.
    pub parts: PartSizes,
    /// Claims by encoded size, largest first.
    pub claims: Vec<ClaimSize>,
}

impl SizeReport {
    /// Measure a token whose claims are known (or empty when they are not a JSON object).
    pub fn new(parts: PartSizes, claims: &Map<String, Value>) -> Self {
        let mut sizes: Vec<ClaimSize> = claims
            .iter()
            .map(|(name, value)| ClaimSize {
                name: name.clone(),
                bytes: member_size(name, value),
            })
            .collect();
        sizes.sort_by(|a, b| b.bytes.cmp(&a.bytes).then_with(|| a.name.cmp(&b.name)));
        SizeReport {
            parts,
            claims: sizes,
        }
    }

    /// The budgets this token is over, smallest first.
    pub fn exceeded(&self) -> impl Iterator<Item = &'static Budget> + '_ {
        BUDGETS
            .iter()
            .filter(|budget| self.parts.total > budget.bytes)
    }

    /// One warning per exceeded budget, naming the claims that take the most room.
    pub fn warnings(&self) -> Vec<String> {
        self.exceeded()
            .map(|budget| {
                format!(
                    "token is {} bytes, over the {}-byte budget of {}{}",
                    self.parts.total,
                    budget.bytes,
                    budget.what,
                    self.largest_claims_text()
                )
            })
            .collect()
    }

    fn largest_claims_text(&self) -> String {
        if self.claims.is_empty() {
            return String::new();
        }
        let named: Vec<String> = self
            .claims
            .iter()
            .take(3)
            .map(|c| format!("{} ({} B)", cut(&c.name), c.bytes))
            .collect();
        format!("; largest claims: {}", named.join(", "))
    }
}

fn member_size(name: &str, value: &Value) -> usize {
    let json_len = serde_json::to_string(name).map_or(name.len() + 2, |s| s.len())
        + 1
        + serde_json::to_string(value).map_or(0, |s| s.len())
        + 1;
    json_len.div_ceil(3) * 4
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(total: usize) -> PartSizes {
        PartSizes {
            total,
            header: 36,
            claims: total - 36 - 43 - 2,
            signature: 43,
        }
    }

    #[test]
    fn largest_claims_first_and_budgets() {
        let claims = serde_json::json!({"sub": "u1", "roles": vec!["admin"; 700]});
        let report = SizeReport::new(parts(5000), claims.as_object().unwrap());
        assert_eq!(report.claims[0].name, "roles");
        assert!(report.claims[0].bytes > 4 * 700 * 8 / 3);
        let warnings = report.warnings();
        assert_eq!(warnings.len(), 1);
        assert!(warnings[0].contains("4096-byte") && warnings[0].contains("roles ("));
        assert_eq!(
            SizeReport::new(parts(9000), &Map::new()).warnings().len(),
            2
        );
        assert!(
            SizeReport::new(parts(4096), &Map::new())
                .warnings()
                .is_empty()
        );
    }
}
