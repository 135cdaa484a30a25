use serde::{Deserialize, Serialize};

/// A dimension of the codebook ("Content theme"); its codes point at it by id.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Group {
    pub id: String,
    pub name: String,
}

/// A code (theme) that entries carry. `id` and `guid` never change; `name` may.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Code {
    pub id: String,
    pub group: String,
    pub name: String,
    /// Quick-tag key in the TUI, empty for none.
    pub key: String,
    /// A ratatui colour name or `#rrggbb`, empty for the default.
    pub color: String,
    pub description: String,
    /// Stable id for REFI-QDA exports.
    pub guid: String,
    /// Id of a parent code, empty for none.
    pub parent: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Codebook {
    #[serde(default, rename = "group")]
    pub groups: Vec<Group>,
    #[serde(default, rename = "code")]
    pub codes: Vec<Code>,
}

impl Codebook {
    pub fn code(&self, id: &str) -> Option<&Code> {
        self.codes.iter().find(|c| c.id == id)
    }

    pub fn code_mut(&mut self, id: &str) -> Option<&mut Code> {
        self.codes.iter_mut().find(|c| c.id == id)
    }

    pub fn group(&self, id: &str) -> Option<&Group> {
        self.groups.iter().find(|g| g.id == id)
    }

    pub fn code_for_key(&self, key: &str) -> Option<&Code> {
        self.codes
            .iter()
            .find(|c| !c.key.is_empty() && c.key == key)
    }

    /// Codes in display order: by group as the groups are listed, then the codes of
    /// unknown groups, each in file order.
    pub fn codes_by_group(&self) -> Vec<(Option<&Group>, Vec<&Code>)> {
        let mut out: Vec<(Option<&Group>, Vec<&Code>)> = self
            .groups
            .iter()
            .map(|g| {
                (
                    Some(g),
                    self.codes.iter().filter(|c| c.group == g.id).collect(),
                )
            })
            .collect();
        let orphans: Vec<&Code> = self
            .codes
            .iter()
            .filter(|c| self.group(&c.group).is_none())
            .collect();
        if !orphans.is_empty() {
            out.push((None, orphans));
        }
        out
    }

    /// `ids` in `codes_by_group` order (unknown ids last, as given), each with its code:
    /// one pass over the codebook, then a sort, so a long list of codes against a big
    /// codebook stays fast (ranking each id on its own was codes × codebook).
    pub fn in_display_order<'a>(&'a self, ids: &'a [String]) -> Vec<(&'a str, Option<&'a Code>)> {
        let ranked: std::collections::HashMap<&str, (usize, &Code)> = self
            .codes_by_group()
            .into_iter()
            .flat_map(|(_, codes)| codes)
            .enumerate()
            .map(|(rank, code)| (code.id.as_str(), (rank, code)))
            .collect();
        let mut out: Vec<(usize, &str, Option<&Code>)> = ids
            .iter()
            .map(|id| match ranked.get(id.as_str()) {
                Some(&(rank, code)) => (rank, id.as_str(), Some(code)),
                None => (usize::MAX, id.as_str(), None),
            })
            .collect();
        out.sort_by_key(|&(rank, _, _)| rank);
        out.into_iter().map(|(_, id, code)| (id, code)).collect()
    }
}
