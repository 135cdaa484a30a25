use std::collections::HashMap;

use serde::{Deserialize, Serialize};

/// A dimension of the codebook ("Content theme"); its codes point at it by id.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Group {
    pub id: String,
    pub name: String,
    /// What the group gathers; empty for none (most starter groups have none).
    pub description: String,
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
    /// A colour name, a palette number or `#rrggbb` (see `CodeColor`); empty for none.
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

    /// A short label for each code (by id) that no other code's label shares: the
    /// shortest start of its name, at least `min_chars` characters, that tells it apart
    /// from every other name (`Comment` and `Comments`, `Emotiv` and `Emotic`, `Like` and
    /// `Live`). Compared without case, so labels differ to the eye too.
    pub fn short_labels(&self, min_chars: usize) -> HashMap<String, String> {
        let mut names: Vec<(Vec<char>, &Code)> = self
            .codes
            .iter()
            .map(|c| (c.name.trim().to_lowercase().chars().collect(), c))
            .collect();
        names.sort_by(|a, b| a.0.cmp(&b.0));
        let common = |a: &[char], b: &[char]| a.iter().zip(b).take_while(|(x, y)| x == y).count();
        (0..names.len())
            .map(|i| {
                // In sorted order the longest shared start is with a neighbour.
                let before = i
                    .checked_sub(1)
                    .map_or(0, |j| common(&names[j].0, &names[i].0));
                let after = names.get(i + 1).map_or(0, |n| common(&n.0, &names[i].0));
                let code = names[i].1;
                let needed = (before.max(after) + 1).max(min_chars);
                let label: String = code.name.trim().chars().take(needed).collect();
                let label = if label.is_empty() {
                    code.id.clone()
                } else {
                    label
                };
                (code.id.clone(), label)
            })
            .collect()
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

#[cfg(test)]
mod tests {
    use super::*;

    fn book(names: &[&str]) -> Codebook {
        Codebook {
            groups: vec![],
            codes: names
                .iter()
                .map(|n| Code {
                    id: n.to_lowercase().replace(' ', "-"),
                    name: n.to_string(),
                    ..Code::default()
                })
                .collect(),
        }
    }

    #[test]
    fn short_labels_tell_every_code_apart() {
        let labels = book(&[
            "Comment",
            "Comments",
            "Emotive",
            "Emoticons",
            "Likes",
            "Live",
            "Daily life",
        ])
        .short_labels(3);
        let get = |id: &str| labels[id].as_str();
        assert_eq!(get("comment"), "Comment");
        assert_eq!(get("comments"), "Comments");
        assert_eq!(get("emotive"), "Emotiv");
        assert_eq!(get("emoticons"), "Emotic");
        assert_eq!(get("likes"), "Lik");
        assert_eq!(get("live"), "Liv");
        assert_eq!(get("daily-life"), "Dai");
        let mut seen: Vec<_> = labels.values().map(|l| l.to_lowercase()).collect();
        seen.sort();
        seen.dedup();
        assert_eq!(seen.len(), labels.len(), "{labels:?}");
    }
}
