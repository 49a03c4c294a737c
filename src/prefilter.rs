//! The words each transform cannot match without, looked for in one pass over a file's bytes.
//! A file that holds none of a transform's word groups is never parsed for it.

use aho_corasick::{AhoCorasick, Input, MatchKind, Span, packed};

pub struct Prefilter {
    /// Teddy, the SIMD searcher for a few literals, where the CPU has it.
    packed: Option<packed::Searcher>,
    automaton: AhoCorasick,
    /// For each word, the words it contains (itself included): finding it finds them too.
    implies: Vec<Vec<usize>>,
    /// For each transform: its groups, each a list of word indices that must all be present.
    needs: Vec<Vec<Vec<usize>>>,
    word_count: usize,
}

impl Prefilter {
    /// `groups[t]` lists transform `t`'s alternatives; an alternative is a set of words that must
    /// all appear. A transform with no groups always runs.
    pub fn new(groups: &[&[&[&str]]]) -> Prefilter {
        let mut words: Vec<&str> = Vec::new();
        let needs = groups
            .iter()
            .map(|alternatives| {
                alternatives
                    .iter()
                    .map(|all_of| {
                        all_of
                            .iter()
                            .map(|word| match words.iter().position(|w| w == word) {
                                Some(i) => i,
                                None => {
                                    words.push(word);
                                    words.len() - 1
                                }
                            })
                            .collect()
                    })
                    .collect()
            })
            .collect();
        // Leftmost-first keeps the fast SIMD literal search; longer words first, so that where
        // two words start at one place the longer one is reported, and implies the shorter.
        let mut order: Vec<usize> = (0..words.len()).collect();
        order.sort_by_key(|&i| std::cmp::Reverse(words[i].len()));
        let ordered: Vec<&str> = order.iter().map(|&i| words[i]).collect();
        let automaton = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostFirst)
            .build(&ordered)
            .expect("prefilter words are plain literals");
        let packed = packed::Config::new()
            .match_kind(packed::MatchKind::LeftmostFirst)
            .builder()
            .extend(&ordered)
            .build();
        let implies = order
            .iter()
            .map(|&i| (0..words.len()).filter(|&j| words[i].contains(words[j])).collect())
            .collect();
        Prefilter {
            packed,
            automaton,
            implies,
            needs,
            word_count: words.len(),
        }
    }

    /// For each transform, whether `bytes` may hold something it matches.
    pub fn candidates(&self, bytes: &[u8]) -> Vec<bool> {
        let mut present = vec![false; self.word_count];
        let mut found = 0;
        let mut at = 0;
        while found < self.word_count && at < bytes.len() {
            let hit = match &self.packed {
                Some(packed) => packed.find_in(bytes, Span::from(at..bytes.len())),
                None => self.automaton.find(Input::new(bytes).range(at..)),
            };
            let Some(hit) = hit else {
                break;
            };
            for &word in &self.implies[hit.pattern().as_usize()] {
                if !present[word] {
                    present[word] = true;
                    found += 1;
                }
            }
            // Resume one byte after the start, not at the end: a word may begin inside this one.
            at = hit.start() + 1;
        }
        self.needs
            .iter()
            .map(|alternatives| {
                alternatives.is_empty() || alternatives.iter().any(|all_of| all_of.iter().all(|&w| present[w]))
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn needs_every_word_of_one_group() {
        let filter = Prefilter::new(&[
            &[&["useFormState"]],
            &[&["next/navigation", "try"]],
            &[&["serverActions"], &["bundlePagesExternals"]],
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
            &[&["serverActions"]],
            &[&["serverActionsBodySizeLimit"]],
            &[&["abc", "cde"]],
        ]);
        assert_eq!(
            filter.candidates(b"x.serverActionsBodySizeLimit = 1"),
            vec![true, true, false]
        );
        assert_eq!(filter.candidates(b"serverActions: true"), vec![true, false, false]);
        assert_eq!(filter.candidates(b"abcde"), vec![false, false, true]);
        assert_eq!(filter.candidates(b"abcd"), vec![false, false, false]);
    }
}
