//! Kennzeichen: the code of a plan position, e.g. `0`, `02`, `022`, `022.3`,
//! `022.31`. The hierarchy is in the code itself: one digit per level, a dot
//! after the third. The parent of a code is the code without its last digit.

use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Kennzeichen(String);

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum CodeError {
    #[error("Das Kennzeichen ist leer.")]
    Empty,
    #[error("Das Kennzeichen „{0}“ ist ungültig: erlaubt sind Ziffern, nach der dritten Ziffer ein Punkt (Beispiele: 0, 02, 022, 022.3).")]
    Malformed(String),
    #[error("Das Kennzeichen „{0}“ ist zu lang (höchstens 12 Ebenen).")]
    TooDeep(String),
}

impl Kennzeichen {
    pub const MAX_LEVELS: usize = 12;

    pub fn parse(raw: &str) -> Result<Kennzeichen, CodeError> {
        let code = raw.trim();
        if code.is_empty() {
            return Err(CodeError::Empty);
        }
        let (head, tail) = match code.split_once('.') {
            Some((head, tail)) => (head, Some(tail)),
            None => (code, None),
        };
        let digits_only = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        let valid = digits_only(head)
            && match tail {
                None => head.len() <= 3,
                Some(tail) => head.len() == 3 && digits_only(tail),
            };
        if !valid {
            return Err(CodeError::Malformed(code.to_string()));
        }
        let levels = head.len() + tail.map_or(0, str::len);
        if levels > Self::MAX_LEVELS {
            return Err(CodeError::TooDeep(code.to_string()));
        }
        Ok(Kennzeichen(code.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// 1 for a main group (`0`), 2 for `02`, 3 for `022`, 4 for `022.3` …
    pub fn level(&self) -> usize {
        self.0.bytes().filter(u8::is_ascii_digit).count()
    }

    /// The main group (first digit).
    pub fn main_group(&self) -> char {
        self.0.chars().next().unwrap_or('0')
    }

    /// The code of the parent position; `None` for a main group.
    pub fn parent(&self) -> Option<Kennzeichen> {
        if self.level() == 1 {
            return None;
        }
        let mut parent = self.0[..self.0.len() - 1].to_string();
        if parent.ends_with('.') {
            parent.pop();
        }
        Some(Kennzeichen(parent))
    }

    /// True if `self` lies below `ancestor` (not equal).
    pub fn is_below(&self, ancestor: &Kennzeichen) -> bool {
        let mut current = self.parent();
        while let Some(code) = current {
            if &code == ancestor {
                return true;
            }
            current = code.parent();
        }
        false
    }

    /// The code of a child with the given next digit.
    pub fn child(&self, digit: u8) -> Kennzeichen {
        let digit = char::from(b'0' + digit.min(9));
        if self.level() == 3 {
            Kennzeichen(format!("{}.{digit}", self.0))
        } else {
            Kennzeichen(format!("{}{digit}", self.0))
        }
    }

    /// Replaces the prefix `from` (an ancestor or `self`) with `to`; used when
    /// a position moves together with its children.
    pub fn rebase(&self, from: &Kennzeichen, to: &Kennzeichen) -> Option<Kennzeichen> {
        if self == from {
            return Some(to.clone());
        }
        if !self.is_below(from) {
            return None;
        }
        let from_digits: String = from.0.chars().filter(char::is_ascii_digit).collect();
        let to_digits: String = to.0.chars().filter(char::is_ascii_digit).collect();
        let own_digits: String = self.0.chars().filter(char::is_ascii_digit).collect();
        let digits = format!("{to_digits}{}", &own_digits[from_digits.len()..]);
        Kennzeichen::from_digits(&digits).ok()
    }

    fn from_digits(digits: &str) -> Result<Kennzeichen, CodeError> {
        if digits.len() <= 3 {
            Kennzeichen::parse(digits)
        } else {
            Kennzeichen::parse(&format!("{}.{}", &digits[..3], &digits[3..]))
        }
    }

    /// A key that sorts codes in plan order (`0` < `00` < `000` < `000.1` < `01`).
    pub fn sort_key(&self) -> String {
        self.0.chars().filter(char::is_ascii_digit).collect()
    }
}

impl fmt::Display for Kennzeichen {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn k(code: &str) -> Kennzeichen {
        Kennzeichen::parse(code).expect(code)
    }

    #[test]
    fn valid_codes_and_levels() {
        for (code, level) in [
            ("0", 1),
            ("02", 2),
            ("022", 3),
            ("022.3", 4),
            ("022.31", 5),
            (" 9 ", 1),
        ] {
            assert_eq!(k(code).level(), level, "{code}");
        }
    }

    #[test]
    fn malformed_codes_are_refused_with_german_messages() {
        for code in [
            "", "a", "0221", "02.2", "022.", ".3", "022.3a", "022..3", "-1", "0 2", "０２",
        ] {
            let err = Kennzeichen::parse(code).expect_err(code);
            assert!(err.to_string().contains("Kennzeichen"), "{code}");
        }
        assert!(matches!(
            Kennzeichen::parse("022.1234567890"),
            Err(CodeError::TooDeep(_))
        ));
    }

    #[test]
    fn parents_follow_the_digits() {
        assert_eq!(k("022.31").parent(), Some(k("022.3")));
        assert_eq!(k("022.3").parent(), Some(k("022")));
        assert_eq!(k("022").parent(), Some(k("02")));
        assert_eq!(k("02").parent(), Some(k("0")));
        assert_eq!(k("0").parent(), None);
        assert!(k("022.31").is_below(&k("0")));
        assert!(!k("022").is_below(&k("022")));
        assert!(!k("032").is_below(&k("02")));
        assert_eq!(k("022").child(4), k("022.4"));
        assert_eq!(k("02").child(4), k("024"));
    }

    #[test]
    fn rebase_moves_a_subtree() {
        let from = k("022");
        let to = k("031");
        assert_eq!(k("022").rebase(&from, &to), Some(k("031")));
        assert_eq!(k("022.3").rebase(&from, &to), Some(k("031.3")));
        assert_eq!(k("022.31").rebase(&from, &to), Some(k("031.31")));
        assert_eq!(k("023").rebase(&from, &to), None);
        // Moving a level-3 position down to level 4 keeps its children valid.
        assert_eq!(k("022.3").rebase(&from, &k("031.5")), Some(k("031.53")));
    }

    #[test]
    fn sort_key_orders_like_the_plan() {
        let mut codes = [k("01"), k("000.1"), k("0"), k("000"), k("00"), k("1")];
        codes.sort_by_key(Kennzeichen::sort_key);
        let sorted: Vec<&str> = codes.iter().map(Kennzeichen::as_str).collect();
        assert_eq!(sorted, ["0", "00", "000", "000.1", "01", "1"]);
    }
}
