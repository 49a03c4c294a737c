//! Target versions: which Next/React the emitted code may rely on (`--to 14|15`), as
//! major.minor (rules may need a minor release, and a declared range is read by its lowest
//! version: `^15.1.0` is 15.1).

use serde::Serialize;
use std::fmt;

/// A major.minor release. `Version::ANY` (0.0) stands for "no requirement".
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Version {
    pub major: u32,
    pub minor: u32,
}

impl Version {
    pub const ANY: Version = Version::new(0, 0);

    pub const fn new(major: u32, minor: u32) -> Version {
        Version { major, minor }
    }

    pub fn is_any(self) -> bool {
        self == Version::ANY
    }
}

impl fmt::Display for Version {
    /// `15` for 15.0, `15.2` otherwise.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.minor == 0 {
            write!(f, "{}", self.major)
        } else {
            write!(f, "{}.{}", self.major, self.minor)
        }
    }
}

/// The Next.js release the user migrates to. React's follows it (Next 15 ships React 19).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Target {
    pub next: Version,
}

impl Target {
    pub const NEXT_14: Target = Target {
        next: Version::new(14, 0),
    };
    pub const NEXT_15: Target = Target {
        next: Version::new(15, 0),
    };

    pub fn react(self) -> Version {
        if self.next.major >= 15 {
            Version::new(19, 0)
        } else {
            Version::new(18, 0)
        }
    }

    /// Whether code that needs `needs` may be emitted for this target. A target major allows
    /// every minor release of it (`--to 15` allows code that needs 15.2).
    pub fn allows(self, needs: Needs) -> bool {
        needs.next.major <= self.next.major && needs.react.major <= self.react().major
    }
}

/// The versions a piece of emitted (or existing) code needs; `Version::ANY` means "any".
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Needs {
    pub next: Version,
    pub react: Version,
}

impl Needs {
    pub const NOTHING: Needs = Needs {
        next: Version::ANY,
        react: Version::ANY,
    };
    /// Server Actions without the experimental flag (13.4/13.5 require it).
    pub const NEXT_14: Needs = Needs {
        next: Version::new(14, 0),
        react: Version::ANY,
    };
    pub const NEXT_15: Needs = Needs {
        next: Version::new(15, 0),
        react: Version::ANY,
    };
    /// React 19 APIs: Next 14 supports only React 18, so they need Next 15 too.
    pub const REACT_19: Needs = Needs {
        next: Version::new(15, 0),
        react: Version::new(19, 0),
    };

    pub fn max(self, other: Needs) -> Needs {
        Needs {
            next: self.next.max(other.next),
            react: self.react.max(other.react),
        }
    }

    pub fn is_nothing(self) -> bool {
        self == Needs::NOTHING
    }

    pub fn describe(self) -> String {
        match (self.next.is_any(), self.react.is_any()) {
            (true, true) => "Next 14 or 15".to_string(),
            (false, true) => format!("Next {}", self.next),
            (true, false) => format!("React {}", self.react),
            (false, false) => format!("Next {} and React {}", self.next, self.react),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_allow_what_their_major_ships() {
        assert!(Target::NEXT_14.allows(Needs::NEXT_14));
        assert!(!Target::NEXT_14.allows(Needs::NEXT_15));
        assert!(!Target::NEXT_14.allows(Needs::REACT_19));
        let next_15_2 = Needs {
            next: Version::new(15, 2),
            react: Version::ANY,
        };
        assert!(Target::NEXT_15.allows(next_15_2));
        assert_eq!(next_15_2.describe(), "Next 15.2");
        assert_eq!(Needs::REACT_19.describe(), "Next 15 and React 19");
        assert_eq!(Needs::NEXT_14.max(next_15_2), next_15_2);
    }
}
