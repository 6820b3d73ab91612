//! Akten: the case files each municipality opens under a plan position.

use serde::{Deserialize, Serialize};

/// Open, or closed ("zdA", zu den Akten).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum AkteStatus {
    Open,
    Closed,
}

impl AkteStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            AkteStatus::Open => "open",
            AkteStatus::Closed => "closed",
        }
    }

    pub fn parse(value: &str) -> Option<AkteStatus> {
        match value {
            "open" => Some(AkteStatus::Open),
            "closed" => Some(AkteStatus::Closed),
            _ => None,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            AkteStatus::Open => "offen",
            AkteStatus::Closed => "geschlossen (zdA)",
        }
    }
}

/// The Aktenzeichen: municipality code, plan code and the running number
/// per position and municipality, e.g. `ERB 621.1-0007`. Numbers are never
/// reused, so the reference stays unique even after the plan changes.
pub fn aktenzeichen(municipality_code: &str, plan_code: &str, running_number: i64) -> String {
    format!("{municipality_code} {plan_code}-{running_number:04}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aktenzeichen_joins_municipality_code_and_number() {
        assert_eq!(aktenzeichen("ERB", "621.1", 7), "ERB 621.1-0007");
        assert_eq!(aktenzeichen("MIC", "0", 12345), "MIC 0-12345");
    }

    #[test]
    fn status_round_trips() {
        for status in [AkteStatus::Open, AkteStatus::Closed] {
            assert_eq!(AkteStatus::parse(status.as_str()), Some(status));
        }
    }
}
