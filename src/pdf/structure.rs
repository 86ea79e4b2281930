//! The logical structure of the printed letter (tagged PDF): which lines form the title, a
//! heading, a paragraph, a list item or a link, in reading order, so that screen readers and
//! text extraction read the letter as written. A [`Skeleton`] is built while lines are placed;
//! a [`Tree`] is filled with the identifiers of the drawn content while pages are drawn, and
//! becomes krilla's tag tree.

use std::num::NonZeroU16;

use krilla::tagging::{Identifier, Node, Tag, TagGroup, TagKind, TagTree};

/// An element of the structure: an index into the skeleton.
pub type ElementId = usize;

/// The elements known before drawing, each with its parent (`None`: the document itself), in
/// reading order.
#[derive(Default)]
pub struct Skeleton {
    elements: Vec<(TagKind, Option<ElementId>)>,
}

impl Skeleton {
    /// Adds an element after its parent's other children.
    pub fn add(&mut self, parent: Option<ElementId>, tag: impl Into<TagKind>) -> ElementId {
        self.elements.push((tag.into(), parent));
        self.elements.len() - 1
    }
}

/// A heading of this level (1 for the title) titled `title`.
pub fn heading(level: u16, title: &str) -> Tag<krilla::tagging::kind::Hn> {
    Tag::Hn(
        NonZeroU16::new(level).unwrap_or(NonZeroU16::MIN),
        Some(title.to_string()),
    )
}

enum Child {
    Element(ElementId),
    Content(Identifier),
}

/// The skeleton with drawn content: each element's children in reading order.
pub struct Tree {
    tags: Vec<TagKind>,
    children: Vec<Vec<Child>>,
    top: Vec<ElementId>,
}

impl Tree {
    pub fn new(skeleton: &Skeleton) -> Self {
        let mut tree = Self {
            tags: Vec::with_capacity(skeleton.elements.len()),
            children: Vec::with_capacity(skeleton.elements.len()),
            top: Vec::new(),
        };
        for (tag, parent) in &skeleton.elements {
            tree.add(*parent, tag.clone());
        }
        tree
    }

    /// Adds an element found while drawing, such as a link inside a paragraph, after what
    /// `parent` holds so far.
    pub fn add(&mut self, parent: Option<ElementId>, tag: impl Into<TagKind>) -> ElementId {
        let id = self.tags.len();
        self.tags.push(tag.into());
        self.children.push(Vec::new());
        match parent {
            Some(parent) => self.children[parent].push(Child::Element(id)),
            None => self.top.push(id),
        }
        id
    }

    /// Content drawn (or an annotation added) for `element`, after what it holds so far.
    pub fn content(&mut self, element: ElementId, identifier: Identifier) {
        self.children[element].push(Child::Content(identifier));
    }

    /// krilla's tag tree, in the document's language (a BCP 47 tag such as "en").
    pub fn into_tag_tree(mut self, language: &str) -> TagTree {
        let mut tree = TagTree::new().with_lang(Some(language.to_string()));
        for id in std::mem::take(&mut self.top) {
            tree.push(self.group(id));
        }
        tree
    }

    fn group(&mut self, id: ElementId) -> TagGroup {
        let children = std::mem::take(&mut self.children[id])
            .into_iter()
            .map(|child| match child {
                Child::Element(element) => Node::Group(self.group(element)),
                Child::Content(identifier) => Node::Leaf(identifier),
            })
            .collect();
        TagGroup::with_children(self.tags[id].clone(), children)
    }
}
