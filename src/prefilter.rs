//! The words each transform cannot match without, looked for in one pass over a file's bytes.
//! A file that holds none of a transform's word groups is never parsed for it.

use aho_corasick::AhoCorasick;

pub struct Prefilter {
    automaton: AhoCorasick,
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
        let automaton = AhoCorasick::new(&words).expect("prefilter words are plain literals");
        Prefilter {
            automaton,
            needs,
            word_count: words.len(),
        }
    }

    /// For each transform, whether `bytes` may hold something it matches.
    pub fn candidates(&self, bytes: &[u8]) -> Vec<bool> {
        let mut present = vec![false; self.word_count];
        let mut found = 0;
        if self.word_count > 0 {
            for hit in self.automaton.find_overlapping_iter(bytes) {
                let slot = &mut present[hit.pattern().as_usize()];
                if !*slot {
                    *slot = true;
                    found += 1;
                    if found == self.word_count {
                        break;
                    }
                }
            }
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
}
