//! Line charts drawn by the app as SVG. Each line differs in colour, dash
//! pattern and marker shape, so that nobody depends on telling colours
//! apart (WCAG 1.4.1); every colour has at least 3:1 contrast against white
//! (1.4.11). The SVG is one image with a title and a description that sums
//! it up; the exact numbers are in the table beside it.

use leptos::prelude::*;

const WIDTH: f64 = 640.0;
const HEIGHT: f64 = 240.0;
const LEFT: f64 = 52.0;
const RIGHT: f64 = 30.0;
const TOP: f64 = 16.0;
const BOTTOM: f64 = 44.0;

/// Stroke colour, dash pattern and marker of the n-th line.
pub struct LineStyle {
    pub colour: &'static str,
    pub dash: &'static str,
    pub marker: Marker,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Marker {
    Circle,
    Square,
    Triangle,
    Diamond,
}

pub const STYLES: [LineStyle; 4] = [
    LineStyle {
        colour: "#1d4f91",
        dash: "",
        marker: Marker::Circle,
    },
    LineStyle {
        colour: "#a3410b",
        dash: "8 4",
        marker: Marker::Square,
    },
    LineStyle {
        colour: "#2b6a2f",
        dash: "2 3",
        marker: Marker::Triangle,
    },
    LineStyle {
        colour: "#6d2a84",
        dash: "10 3 2 3",
        marker: Marker::Diamond,
    },
];

pub fn style(index: usize) -> &'static LineStyle {
    &STYLES[index % STYLES.len()]
}

/// The top of the value axis: a round number at or above `max`, and the
/// step between grid lines (four steps).
pub fn axis_top(max: i64) -> (i64, i64) {
    let max = max.max(1);
    let raw = (max + 3) / 4;
    let magnitude = 10_i64.pow(raw.max(1).ilog10());
    // Steps of 1, 2, 5 (and 25 from two digits on) times a power of ten.
    let candidates = if magnitude >= 10 {
        [magnitude, 2 * magnitude, 5 * magnitude / 2, 5 * magnitude]
    } else {
        [1, 2, 5, 10]
    };
    let step = candidates
        .into_iter()
        .find(|s| *s >= raw)
        .unwrap_or(10 * magnitude);
    (step * 4, step)
}

/// Positions for `values` (one line), in SVG coordinates.
pub fn points(values: &[i64], top: i64) -> Vec<(f64, f64)> {
    let n = values.len();
    let plot_w = WIDTH - LEFT - RIGHT;
    let plot_h = HEIGHT - TOP - BOTTOM;
    values
        .iter()
        .enumerate()
        .map(|(i, v)| {
            let x = if n <= 1 {
                LEFT + plot_w / 2.0
            } else {
                LEFT + plot_w * i as f64 / (n - 1) as f64
            };
            let y = TOP + plot_h * (1.0 - *v as f64 / top.max(1) as f64);
            (x, y)
        })
        .collect()
}

fn marker_path(marker: Marker, x: f64, y: f64) -> String {
    match marker {
        Marker::Circle => format!(
            "M{:.1} {:.1}a3.5 3.5 0 1 0 7 0a3.5 3.5 0 1 0 -7 0",
            x - 3.5,
            y
        ),
        Marker::Square => format!("M{:.1} {:.1}h7v7h-7z", x - 3.5, y - 3.5),
        Marker::Triangle => format!("M{:.1} {:.1}l4 7h-8z", x, y - 4.0),
        Marker::Diamond => format!("M{:.1} {:.1}l4 4l-4 4l-4 -4z", x, y - 4.0),
    }
}

/// One line of the chart.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Line {
    pub name: String,
    pub values: Vec<i64>,
}

/// A line chart of `lines` over the `labels` of the time axis.
#[component]
pub fn LineChart(
    /// Unique on the page; used for the title and description ids.
    id: String,
    title: String,
    /// A sentence or two summing the chart up for screen readers.
    description: String,
    labels: Vec<String>,
    lines: Vec<Line>,
) -> impl IntoView {
    let max = lines
        .iter()
        .flat_map(|l| l.values.iter().copied())
        .max()
        .unwrap_or(0);
    let (top, step) = axis_top(max);
    let n = labels.len();
    // At most about seven labels on the time axis; markers only where they
    // do not merge into a band.
    let every = n.div_ceil(7).max(1);
    let show_markers = n <= 62;
    let plot_bottom = HEIGHT - BOTTOM;
    let title_id = format!("{id}-titel");
    let desc_id = format!("{id}-beschreibung");
    let labelled_by = format!("{title_id} {desc_id}");
    let grid = (0..=4)
        .map(|k| {
            let value = step * k;
            let y = TOP + (HEIGHT - TOP - BOTTOM) * (1.0 - value as f64 / top as f64);
            view! {
                <line class="chart-grid" x1=LEFT x2=WIDTH - RIGHT y1=y y2=y/>
                <text class="chart-axis" x=LEFT - 8.0 y=y + 5.0 text-anchor="end">{value.to_string()}</text>
            }
        })
        .collect_view();
    let axis_labels = points(&vec![0; n], top)
        .into_iter()
        .zip(labels)
        .enumerate()
        // Counted from the end, so the newest period always has its label.
        .filter(|(i, _)| (n - 1 - i).is_multiple_of(every))
        .map(|(_, ((x, _), label))| {
            view! { <text class="chart-axis" x=x y=plot_bottom + 24.0 text-anchor="middle">{label}</text> }
        })
        .collect_view();
    let drawn = lines
        .iter()
        .enumerate()
        .map(|(i, line)| {
            let style = style(i);
            let pts = points(&line.values, top);
            let path = pts
                .iter()
                .enumerate()
                .map(|(k, (x, y))| format!("{}{x:.1} {y:.1}", if k == 0 { "M" } else { "L" }))
                .collect::<String>();
            let markers = if show_markers {
                pts.iter()
                    .map(|(x, y)| marker_path(style.marker, *x, *y))
                    .collect::<String>()
            } else {
                String::new()
            };
            view! {
                <path d=path fill="none" stroke=style.colour stroke-width="2.5" stroke-dasharray=style.dash/>
                <path d=markers fill=style.colour stroke="none"/>
            }
        })
        .collect_view();
    let legend = lines
        .iter()
        .enumerate()
        .map(|(i, line)| {
            let style = style(i);
            view! {
                <li>
                    <svg class="legend-swatch" width="36" height="12" viewBox="0 0 36 12" aria-hidden="true" focusable="false">
                        <path d="M2 6H34" stroke=style.colour stroke-width="2.5" stroke-dasharray=style.dash fill="none"/>
                        <path d=marker_path(style.marker, 18.0, 6.0) fill=style.colour/>
                    </svg>
                    {line.name.clone()}
                </li>
            }
        })
        .collect_view();
    view! {
        <div class="chart">
            <svg class="line-chart" viewBox=format!("0 0 {WIDTH} {HEIGHT}") role="img"
                aria-labelledby=labelled_by focusable="false"
                preserveAspectRatio="xMidYMid meet">
                <title id=title_id>{title}</title>
                <desc id=desc_id>{description}</desc>
                {grid}
                <line class="chart-baseline" x1=LEFT x2=WIDTH - RIGHT y1=plot_bottom y2=plot_bottom/>
                {axis_labels}
                {drawn}
            </svg>
            <ul class="chart-legend" aria-label="Legende">{legend}</ul>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_axis_ends_on_a_round_number_above_the_maximum() {
        assert_eq!(axis_top(0), (4, 1));
        assert_eq!(axis_top(3), (4, 1));
        assert_eq!(axis_top(5), (8, 2));
        assert_eq!(axis_top(17), (20, 5));
        assert_eq!(axis_top(100), (100, 25));
        assert_eq!(axis_top(1234), (2000, 500));
        for max in [1, 7, 13, 99, 101, 999, 4321] {
            let (top, step) = axis_top(max);
            assert!(top >= max, "{max}");
            assert_eq!(top, step * 4);
        }
    }

    #[test]
    fn points_span_the_plot_and_put_zero_on_the_baseline() {
        let pts = points(&[0, 5, 10], 10);
        assert_eq!(pts[0], (LEFT, HEIGHT - BOTTOM));
        assert_eq!(pts[2], (WIDTH - RIGHT, TOP));
        assert!((pts[1].1 - (TOP + (HEIGHT - TOP - BOTTOM) / 2.0)).abs() < 1e-9);
        // One period: the point sits in the middle.
        assert_eq!(points(&[1], 1)[0].0, LEFT + (WIDTH - LEFT - RIGHT) / 2.0);
    }
}
