//! What the plain text of each kind of Markdown block and span looks like.

use super::to_plain_text;

#[test]
fn paragraphs_are_separated_by_one_blank_line() {
    assert_eq!(
        to_plain_text("First paragraph.\n\n\n\nSecond paragraph."),
        "First paragraph.\n\nSecond paragraph."
    );
}

#[test]
fn the_author_s_line_breaks_are_kept() {
    assert_eq!(
        to_plain_text("Dear Secretary-General,\nwe write to you\\\ntoday.  \nSigned"),
        "Dear Secretary-General,\nwe write to you\ntoday.\nSigned"
    );
}

#[test]
fn headings_are_lines_of_their_own() {
    assert_eq!(
        to_plain_text(
            "# Our demands\nWe ask:\n\n## First\n\nRelease them.\n\nSecond\n------\nAnd more."
        ),
        "Our demands\n\nWe ask:\n\nFirst\n\nRelease them.\n\nSecond\n\nAnd more."
    );
}

#[test]
fn list_items_carry_a_dash_or_their_number() {
    assert_eq!(
        to_plain_text("We urge you to:\n\n* act\n* report\n\n+ plus\n\n1. one\n2. two\n\nEnd."),
        "We urge you to:\n\n- act\n- report\n\n- plus\n\n1. one\n2. two\n\nEnd."
    );
}

#[test]
fn ordered_lists_count_from_their_own_start() {
    assert_eq!(
        to_plain_text("3. three\n4. four\n5. five"),
        "3. three\n4. four\n5. five"
    );
    assert_eq!(to_plain_text("9. nine\n10. ten"), "9. nine\n10. ten");
    assert_eq!(to_plain_text("0. zero\n1. one"), "0. zero\n1. one");
}

#[test]
fn nested_lists_and_long_items_are_indented_under_the_text() {
    assert_eq!(
        to_plain_text("1. first\n   - a\n   - b\n2. second\n   line"),
        "1. first\n   - a\n   - b\n2. second\n   line"
    );
    assert_eq!(
        to_plain_text("- outer\n  1. inner\n     - deepest\n- next"),
        "- outer\n  1. inner\n     - deepest\n- next"
    );
}

#[test]
fn loose_list_items_are_separated_like_blocks() {
    assert_eq!(
        to_plain_text("- first\n\n- second\n\n  more of it"),
        "- first\n\n- second\n\n  more of it"
    );
}

#[test]
fn emphasis_becomes_plain_words() {
    assert_eq!(
        to_plain_text("We **urge** you to _act_ ~~later~~ now, with `care`."),
        "We urge you to act later now, with care."
    );
}

#[test]
fn links_show_their_address_in_angle_brackets_after_the_text() {
    assert_eq!(
        to_plain_text("Read [the report](https://example.org/r)."),
        "Read the report <https://example.org/r>."
    );
    assert_eq!(
        to_plain_text("Write to [our desk](mailto:desk@example.org)."),
        "Write to our desk <desk@example.org>."
    );
    assert_eq!(
        to_plain_text("![Map of the camps](https://example.org/map.png)"),
        "Map of the camps <https://example.org/map.png>"
    );
}

#[test]
fn a_link_whose_text_is_its_address_shows_it_once() {
    assert_eq!(
        to_plain_text(
            "<https://example.org> or <press@example.org> or \
             [https://example.org/a](https://example.org/a) or \
             [desk@example.org](mailto:desk@example.org) or [](https://example.org/empty)"
        ),
        "https://example.org or press@example.org or https://example.org/a or \
         desk@example.org or https://example.org/empty"
    );
}

#[test]
fn characters_are_text_not_entities() {
    assert_eq!(
        to_plain_text("Lawyers for Human Rights & Justice <3 \"quotes\" &amp; 'this'"),
        "Lawyers for Human Rights & Justice <3 \u{201c}quotes\u{201d} & \u{2018}this\u{2019}"
    );
}

#[test]
fn every_line_of_a_quotation_is_marked() {
    assert_eq!(
        to_plain_text("> quoted\n> twice\n>\n> again\n\nAfter."),
        "> quoted\n> twice\n>\n> again\n\nAfter."
    );
    assert_eq!(
        to_plain_text("> outer\n>\n> > inner\n> > too"),
        "> outer\n>\n> > inner\n> > too"
    );
    assert_eq!(
        to_plain_text("> - a point\n> - another"),
        "> - a point\n> - another"
    );
}

#[test]
fn code_blocks_are_kept_verbatim() {
    assert_eq!(
        to_plain_text("Before.\n\n```\nfn main() {\n    let x = 1;  \n}\n```\n\nAfter."),
        "Before.\n\nfn main() {\n    let x = 1;\n}\n\nAfter."
    );
    assert_eq!(to_plain_text("    code\n\n    more"), "code\n\nmore");
    // Blank lines inside a code block: one at most, like everywhere else.
    assert_eq!(to_plain_text("```\na\n\n\n\nb\n```"), "a\n\nb");
    assert_eq!(
        to_plain_text("```\n**not bold** [not](a link)\n```"),
        "**not bold** [not](a link)"
    );
}

#[test]
fn tables_and_rules_keep_their_shape() {
    assert_eq!(
        to_plain_text("| a | b |\n|---|---|\n| 1 | 2 |\n\n---\n\nEnd."),
        "a | b\n1 | 2\n\n* * *\n\nEnd."
    );
}

#[test]
fn footnotes_are_labelled() {
    assert_eq!(
        to_plain_text("Facts.[^1]\n\n[^1]: The source."),
        "Facts.[1]\n\n[1] The source."
    );
}

#[test]
fn raw_html_is_left_out() {
    assert_eq!(
        to_plain_text("Before <b>bold</b> after.\n\n<div>\nhidden\n</div>\n\nEnd."),
        "Before bold after.\n\nEnd."
    );
}

#[test]
fn a_whole_letter_reads_as_written() {
    let markdown = "# Joint letter\n\nDear Secretary-General,\n\nWe **urge** you to:\n\n\
                    1. close the camps;\n2. allow [independent access](https://example.org/a).\n\n\
                    > Nothing about us without us.\n\nSigned in Geneva.  \nThe undersigned";
    assert_eq!(
        to_plain_text(markdown),
        "Joint letter\n\nDear Secretary-General,\n\nWe urge you to:\n\n\
         1. close the camps;\n2. allow independent access <https://example.org/a>.\n\n\
         > Nothing about us without us.\n\nSigned in Geneva.\nThe undersigned"
    );
}
