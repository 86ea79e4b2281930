//! The reader's alphabetical order of organization names, one rule for every list that prints
//! them (the published list, the exports, the dashboard): Unicode collation, so accents sort
//! with their letter ("Ärztinnen" with the A's) and scripts come in the standard order.

use std::cmp::Ordering;

/// Compares names in the reader's alphabetical order. Keep one for a whole sort: it caches
/// what it has looked up.
#[derive(Default)]
pub struct ReaderOrder(feruca::Collator);

impl ReaderOrder {
    /// How `a` compares with `b` in the reader's alphabetical order.
    pub fn compare(&mut self, a: &str, b: &str) -> Ordering {
        self.0.collate(a, b)
    }
}

/// Sorts `items` by the name `name` reads from each, in the reader's alphabetical order.
pub fn sort_by_name<T>(items: &mut [T], name: impl Fn(&T) -> &str) {
    let mut order = ReaderOrder::default();
    items.sort_by(|a, b| order.compare(name(a), name(b)));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accents_sort_with_their_letter_not_after_z() {
        let mut names = vec![
            "World Uyghur Congress",
            "Ärztinnen für Frieden",
            "Zimbabwe Lawyers",
            "Église et Société",
            "amnesty",
            "Ecology Now",
        ];
        sort_by_name(&mut names, |n| n);
        assert_eq!(
            names,
            [
                "amnesty",
                "Ärztinnen für Frieden",
                "Ecology Now",
                "Église et Société",
                "World Uyghur Congress",
                "Zimbabwe Lawyers",
            ]
        );
    }
}
