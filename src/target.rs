//! Target versions: which Next/React the emitted code may rely on (`--to 14|15`).

use serde::Serialize;

/// The Next.js major the user migrates to. React's major follows it (Next 15 ships React 19).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Target {
    pub next: u32,
}

impl Target {
    pub const NEXT_14: Target = Target { next: 14 };
    pub const NEXT_15: Target = Target { next: 15 };

    pub fn react(self) -> u32 {
        if self.next >= 15 { 19 } else { 18 }
    }

    /// Whether code that needs `needs` may be emitted for this target.
    pub fn allows(self, needs: Needs) -> bool {
        needs.next <= self.next && needs.react <= self.react()
    }
}

/// The versions a piece of emitted code needs; zero means "any".
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Needs {
    pub next: u32,
    pub react: u32,
}

impl Needs {
    pub const NOTHING: Needs = Needs { next: 0, react: 0 };
    pub const NEXT_15: Needs = Needs { next: 15, react: 0 };
    pub const REACT_19: Needs = Needs { next: 15, react: 19 };

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
        match (self.next, self.react) {
            (0, 0) => "Next 14 or 15".to_string(),
            (n, 0) => format!("Next {n}"),
            (0, r) => format!("React {r}"),
            (n, r) => format!("Next {n} and React {r}"),
        }
    }
}
