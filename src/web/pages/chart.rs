//! The dashboard's response chart, drawn as SVG on the server: how many organizations stood
//! signed and declined at the end of each day, as steps, with a point on each day the count
//! changed, so that even a first day's answers show.

use crate::app::progress::DayCount;

/// One point of a line: where it is, and what it says when pointed at.
pub struct Point {
    pub x: String,
    pub y: String,
    pub label: String,
}

/// The lines and points of the response chart, in SVG user units.
pub struct Chart {
    pub width: u32,
    pub height: u32,
    /// The signed step line, as a `points` attribute.
    pub signed_points: String,
    pub declined_points: String,
    pub signed_marks: Vec<Point>,
    pub declined_marks: Vec<Point>,
    /// The top of the scale.
    pub max: usize,
    pub first_day: String,
    pub last_day: String,
    /// "5 signed and 1 declined by 2026-11-30".
    pub summary: String,
}

impl Chart {
    const WIDTH: u32 = 600;
    const HEIGHT: u32 = 160;

    /// The chart of these days, the first day on the left.
    pub fn from_days(days: &[DayCount]) -> Self {
        let max = days
            .iter()
            .map(|d| d.signed.max(d.declined))
            .max()
            .unwrap_or(0)
            .max(1);
        let last = days.last();
        Self {
            width: Self::WIDTH,
            height: Self::HEIGHT,
            signed_points: steps(days, max, |d| d.signed),
            declined_points: steps(days, max, |d| d.declined),
            signed_marks: marks(days, max, |d| d.signed, "signed"),
            declined_marks: marks(days, max, |d| d.declined, "declined"),
            max,
            first_day: days.first().map(|d| d.day.to_string()).unwrap_or_default(),
            last_day: last.map(|d| d.day.to_string()).unwrap_or_default(),
            summary: last.map_or(String::new(), |d| {
                format!(
                    "{} signed and {} declined by {}",
                    d.signed, d.declined, d.day
                )
            }),
        }
    }
}

/// Each day takes an equal slot of the width; its point is in the middle of its slot.
fn x_of(day: usize, days: usize) -> f64 {
    (day as f64 + 0.5) * f64::from(Chart::WIDTH) / days.max(1) as f64
}

fn y_of(n: usize, max: usize) -> f64 {
    f64::from(Chart::HEIGHT) - (n as f64 / max as f64) * f64::from(Chart::HEIGHT - 10)
}

/// A step line: flat at 0 from the left edge, rising or falling at each day's point and flat
/// until the next, to the right edge.
fn steps(days: &[DayCount], max: usize, pick: fn(&DayCount) -> usize) -> String {
    let mut points = vec![format!("0,{:.1}", y_of(0, max))];
    let mut level = y_of(0, max);
    for (i, day) in days.iter().enumerate() {
        let x = x_of(i, days.len());
        let y = y_of(pick(day), max);
        points.push(format!("{x:.1},{level:.1}"));
        points.push(format!("{x:.1},{y:.1}"));
        level = y;
    }
    points.push(format!("{},{level:.1}", Chart::WIDTH));
    points.join(" ")
}

/// A point on each day the count changed.
fn marks(days: &[DayCount], max: usize, pick: fn(&DayCount) -> usize, what: &str) -> Vec<Point> {
    let mut before = 0;
    let mut points = Vec::new();
    for (i, day) in days.iter().enumerate() {
        let n = pick(day);
        if n != before {
            points.push(Point {
                x: format!("{:.1}", x_of(i, days.len())),
                y: format!("{:.1}", y_of(n, max)),
                label: format!("{}: {n} {what}", day.day),
            });
        }
        before = n;
    }
    points
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn day(d: u32, signed: usize, declined: usize) -> DayCount {
        DayCount {
            day: NaiveDate::from_ymd_opt(2026, 11, d).unwrap(),
            signed,
            declined,
        }
    }

    #[test]
    fn a_single_day_of_answers_has_a_point_and_a_step() {
        let chart = Chart::from_days(&[day(30, 3, 1)]);
        assert_eq!(chart.signed_marks.len(), 1);
        assert_eq!(chart.declined_marks.len(), 1);
        assert_eq!(chart.signed_marks[0].x, "300.0");
        assert_eq!(
            chart.signed_points,
            "0,160.0 300.0,160.0 300.0,10.0 600,10.0"
        );
    }

    #[test]
    fn points_only_where_the_count_changed() {
        let chart = Chart::from_days(&[day(1, 0, 0), day(2, 2, 0), day(3, 2, 0), day(4, 1, 1)]);
        let days: Vec<&str> = chart.signed_marks.iter().map(|p| &p.label[..10]).collect();
        assert_eq!(days, ["2026-11-02", "2026-11-04"]);
        assert_eq!(chart.declined_marks.len(), 1);
    }
}
