//! Lines within their width: breaks at spaces, cuts of words too long for a line, and the
//! visual order of right-to-left text.

use super::*;

const BODY: Style = Style {
    shape: Shape::Regular,
    size: 10.0,
    muted: false,
    link: None,
};

fn texts(lines: &[Line]) -> Vec<String> {
    lines
        .iter()
        .map(|l| l.pieces.iter().map(|p| p.text.as_str()).collect())
        .collect()
}

#[test]
fn long_lines_break_at_spaces_within_the_width() {
    let text = "We call on the government to release every detained journalist now.";
    let lines = lines(&[(text, BODY)], 150.0, &mut Fallback::new(false));
    assert!(lines.len() > 1);
    assert!(lines.iter().all(|l| l.width <= 150.0));
    assert_eq!(texts(&lines).join(" "), text);
}

#[test]
fn a_word_longer_than_the_line_is_cut() {
    let word = "https://example.org/a-very-long-address-without-any-spaces-at-all";
    let lines = lines(&[(word, BODY)], 60.0, &mut Fallback::new(false));
    assert!(lines.len() > 2);
    assert!(lines.iter().all(|l| l.width <= 60.0));
    assert_eq!(texts(&lines).concat(), word);
}

#[test]
fn no_line_of_a_300_character_name_is_wider_than_its_column() {
    let names = [
        "Internationalegesellschaftfürmenschenrechte".repeat(7),
        "E\u{301}glise".repeat(50),
        "منظمةالعفوالدولية".repeat(18),
    ];
    for name in names {
        let name: String = name.chars().take(300).collect();
        let runs = [(name.as_str(), BODY), (" (CH)", BODY)];
        let set = lines(&runs, 223.0, &mut Fallback::new(false));
        assert!(set.len() > 3, "{name} is broken into lines");
        for line in &set {
            assert!(line.width <= 223.0, "a line is {} wide: {name}", line.width);
        }
        let mut printed: Vec<char> = texts(&set).concat().chars().collect();
        let mut expected: Vec<char> = format!("{name} (CH)").chars().collect();
        printed.sort_unstable();
        expected.sort_unstable();
        assert_eq!(printed, expected, "every character is printed once");
    }
}

#[test]
fn a_word_is_cut_between_graphemes_only() {
    let word = "e\u{301}\u{1F468}\u{200D}\u{1F469}\u{200D}\u{1F467}\u{1F1E8}\u{1F1ED}a ";
    let pieces: Vec<&str> = breaks(word, true).map(|r| &word[r]).collect();
    assert_eq!(
        pieces,
        [
            "e\u{301}",
            "\u{1F468}\u{200D}\u{1F469}\u{200D}\u{1F467}",
            "\u{1F1E8}\u{1F1ED}",
            "a "
        ]
    );
}

#[test]
fn arabic_inside_a_latin_line_reads_right_to_left() {
    let text = "Signed by الشبكة العربية (LB)";
    let lines = lines(&[(text, BODY)], 500.0, &mut Fallback::new(false));
    let order = texts(&lines);
    // Visual order: the second Arabic word is drawn before (left of) the first.
    assert_eq!(order, ["Signed by العربية الشبكة (LB)"]);
    let arabic = &lines[0].pieces[4];
    assert_eq!(arabic.font.name, "Noto Sans Arabic");
}

#[test]
fn forced_breaks_start_new_lines() {
    let lines = lines(&[("one\ntwo", BODY)], 500.0, &mut Fallback::new(false));
    assert_eq!(texts(&lines), ["one", "two"]);
}

#[test]
fn numbers_and_their_slashes_stay_on_one_line() {
    let text = "resolution 68/181 of 2013-2014, and/or well-being";
    let pieces: Vec<&str> = breaks(text, false).map(|r| &text[r]).collect();
    assert_eq!(
        pieces,
        [
            "resolution ",
            "68/181 ",
            "of ",
            "2013-2014, ",
            "and/",
            "or ",
            "well-",
            "being"
        ]
    );
}

#[test]
fn a_number_is_never_cut_at_the_end_of_a_line() {
    let text = "as the General Assembly recalled in its resolution 68/181";
    for width in (60..=300).step_by(7) {
        let set = lines(&[(text, BODY)], width as f32, &mut Fallback::new(false));
        assert!(
            texts(&set).iter().any(|line| line.contains("68/181")),
            "at {width} points: {:?}",
            texts(&set)
        );
    }
}
