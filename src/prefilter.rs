//! The words each transform cannot match without, looked for in a file's bytes: one pass for the
//! longest word of every word set, then a search for each other word of a set whose longest
//! word was found. A file that holds none of a transform's word sets is never parsed for it.

use aho_corasick::{AhoCorasick, Input, MatchKind, Span, packed};
use memchr::memmem;

/// Each alternative is looked for by its longest word, the anchor, in one pass over the bytes for
/// every anchor; the other words of an alternative are looked for, one by one, only in a file
/// that holds its anchor. Short, common words (`={`, `react`, `catch`) are companions, so they
/// neither crowd the pass (every hit restarts it) nor make it test every file for them.
pub struct Prefilter {
    searcher: Searcher,
    /// For each anchor in search order, the anchors it contains (itself included): finding it
    /// finds them too.
    implies: Vec<Vec<usize>>,
    /// For each transform: its alternatives (`None`: not a candidate here).
    needs: Vec<Option<Vec<Alternative>>>,
    anchor_count: usize,
    /// The words that are not anchors, each with its searcher.
    companions: Vec<memmem::Finder<'static>>,
}

enum Searcher {
    /// Teddy, the SIMD searcher for a few literals, where the CPU has it.
    Packed(packed::Searcher),
    /// Without Teddy: a CPU without SIMD support, or 128 words or more.
    Automaton(AhoCorasick),
}

/// An alternative of a transform: every word must appear.
struct Alternative {
    anchor: usize,
    /// Indices into `companions`.
    others: Vec<usize>,
}

impl Prefilter {
    /// `groups[t]` lists transform `t`'s alternatives; an alternative is a set of words that must
    /// all appear. A transform with no groups always runs; one given `None` never does (it does
    /// not apply to the files this prefilter is for).
    pub fn new<'w>(groups: &[Option<&[&[&'w str]]>]) -> Prefilter {
        let mut anchors: Vec<&'w str> = Vec::new();
        let mut companion_words: Vec<&'w str> = Vec::new();
        let needs = groups
            .iter()
            .map(|alternatives| {
                let alternatives = (*alternatives)?;
                // An alternative without words is always met: so is the transform.
                if alternatives.iter().any(|all_of| all_of.is_empty()) {
                    return Some(Vec::new());
                }
                let alternatives = alternatives
                    .iter()
                    .filter_map(|all_of| {
                        // The longest word is taken for the rarest (the first of equal length).
                        let (at, &anchor) = all_of.iter().enumerate().rev().max_by_key(|(_, w)| w.len())?;
                        let others = all_of
                            .iter()
                            .enumerate()
                            .filter(|&(i, w)| i != at && *w != anchor)
                            .map(|(_, &w)| index_of(&mut companion_words, w))
                            .collect();
                        Some(Alternative {
                            anchor: index_of(&mut anchors, anchor),
                            others,
                        })
                    })
                    .collect();
                Some(alternatives)
            })
            .collect();
        // Leftmost-first keeps the fast SIMD literal search; longer words first, so that where
        // two words start at one place the longer one is reported, and implies the shorter.
        let mut order: Vec<usize> = (0..anchors.len()).collect();
        order.sort_by_key(|&i| std::cmp::Reverse(anchors[i].len()));
        let ordered: Vec<&str> = order.iter().map(|&i| anchors[i]).collect();
        let packed = packed::Config::new()
            .match_kind(packed::MatchKind::LeftmostFirst)
            .builder()
            .extend(&ordered)
            .build();
        let searcher = match packed {
            Some(packed) => Searcher::Packed(packed),
            None => Searcher::Automaton(
                AhoCorasick::builder()
                    .match_kind(MatchKind::LeftmostFirst)
                    .build(&ordered)
                    .expect("prefilter words are plain literals"),
            ),
        };
        let implies = order
            .iter()
            .map(|&i| {
                (0..anchors.len())
                    .filter(|&j| anchors[i].contains(anchors[j]))
                    .collect()
            })
            .collect();
        Prefilter {
            searcher,
            implies,
            needs,
            anchor_count: anchors.len(),
            companions: companion_words
                .iter()
                .map(|w| memmem::Finder::new(w).into_owned())
                .collect(),
        }
    }

    /// For each transform, whether `bytes` may hold something it matches.
    pub fn candidates(&self, bytes: &[u8]) -> Vec<bool> {
        let mut present = vec![false; self.anchor_count];
        let mut found = 0;
        let mut at = 0;
        while found < self.anchor_count && at < bytes.len() {
            let hit = match &self.searcher {
                Searcher::Packed(packed) => packed.find_in(bytes, Span::from(at..bytes.len())),
                Searcher::Automaton(automaton) => automaton.find(Input::new(bytes).range(at..)),
            };
            let Some(hit) = hit else {
                break;
            };
            for &anchor in &self.implies[hit.pattern().as_usize()] {
                if !present[anchor] {
                    present[anchor] = true;
                    found += 1;
                }
            }
            // Resume one byte after the start, not at the end: a word may begin inside this one.
            at = hit.start() + 1;
        }
        // Each companion is searched for at most once, and only where an anchor asks for it.
        let mut companion_present: Vec<Option<bool>> = vec![None; self.companions.len()];
        let mut has = |companion: usize| {
            *companion_present[companion].get_or_insert_with(|| self.companions[companion].find(bytes).is_some())
        };
        self.needs
            .iter()
            .map(|alternatives| {
                alternatives.as_ref().is_some_and(|alternatives| {
                    alternatives.is_empty()
                        || alternatives.iter().any(|alternative| {
                            present[alternative.anchor] && alternative.others.iter().all(|&c| has(c))
                        })
                })
            })
            .collect()
    }
}

/// The index of `word` in `list`, added at the end if it is not there yet.
fn index_of<'w>(list: &mut Vec<&'w str>, word: &'w str) -> usize {
    match list.iter().position(|w| *w == word) {
        Some(i) => i,
        None => {
            list.push(word);
            list.len() - 1
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn needs_every_word_of_one_group() {
        let filter = Prefilter::new(&[
            Some(&[&["useFormState"]]),
            Some(&[&["next/navigation", "try"]]),
            Some(&[&["serverActions"], &["bundlePagesExternals"]]),
        ]);
        assert_eq!(
            filter.candidates(b"import { useFormState } from 'react-dom'"),
            vec![true, false, false]
        );
        assert_eq!(
            filter.candidates(b"try { redirect('/') } catch {}"),
            vec![false, false, false]
        );
        assert_eq!(
            filter.candidates(b"import { redirect } from 'next/navigation'; try {}"),
            vec![false, true, false]
        );
        assert_eq!(
            filter.candidates(b"serverActionsBodySizeLimit: 1"),
            vec![false, false, true]
        );
        assert_eq!(filter.candidates(b"bundlePagesExternals"), vec![false, false, true]);
    }

    #[test]
    fn finds_words_that_overlap_or_contain_each_other() {
        let filter = Prefilter::new(&[
            Some(&[&["serverActions"]]),
            Some(&[&["serverActionsBodySizeLimit"]]),
            Some(&[&["abc", "cde"]]),
        ]);
        assert_eq!(
            filter.candidates(b"x.serverActionsBodySizeLimit = 1"),
            vec![true, true, false]
        );
        assert_eq!(filter.candidates(b"serverActions: true"), vec![true, false, false]);
        assert_eq!(filter.candidates(b"abcde"), vec![false, false, true]);
        assert_eq!(filter.candidates(b"abcd"), vec![false, false, false]);
    }

    #[test]
    fn a_companion_word_counts_only_beside_its_anchor_and_may_be_another_ones_anchor() {
        let filter = Prefilter::new(&[
            Some(&[&["use client", "={"], &["use client", "formAction"]]),
            Some(&[&["={"]]),
            Some(&[&["formAction", "use client", "catch"]]),
        ]);
        // `={` is the first one's companion and the second one's anchor.
        assert_eq!(filter.candidates(b"<a b={c} />"), vec![false, true, false]);
        assert_eq!(filter.candidates(b"'use client'; <a b={c} />"), vec![true, true, false]);
        assert_eq!(filter.candidates(b"'use client'; formAction"), vec![true, false, false]);
        // Companions before the anchor count too.
        assert_eq!(
            filter.candidates(b"catch formAction; 'use client'"),
            vec![true, false, true]
        );
    }

    #[test]
    fn a_transform_given_none_is_never_a_candidate_and_an_empty_alternative_always_is() {
        let filter = Prefilter::new(&[None, Some(&[&[], &["never"]]), Some(&[])]);
        assert_eq!(filter.candidates(b"anything"), vec![false, true, true]);
    }

    #[test]
    fn past_what_teddy_takes_the_automaton_finds_the_same() {
        // 130 anchors: Teddy takes fewer than 128 words, so this prefilter searches with the
        // automaton, as one does on a CPU without SIMD.
        let words: Vec<String> = (0..130).map(|i| format!("word{i:03}")).collect();
        let sets: Vec<[&str; 1]> = words.iter().map(|w| [w.as_str()]).collect();
        let alternatives: Vec<&[&str]> = sets.iter().map(|set| set.as_slice()).collect();
        let last_with_companion: [&[&str]; 1] = [&["word129", "catch"]];
        let filter = Prefilter::new(&[Some(&alternatives), Some(&last_with_companion)]);
        assert!(matches!(filter.searcher, Searcher::Automaton(_)));
        assert_eq!(filter.candidates(b"x word007 y"), vec![true, false]);
        assert_eq!(filter.candidates(b"catch word129"), vec![true, true]);
        assert_eq!(filter.candidates(b"word12 word1290"), vec![true, false]);
        assert_eq!(filter.candidates(b"nothing here"), vec![false, false]);
    }
}
