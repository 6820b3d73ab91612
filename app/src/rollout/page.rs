//! `/einfuehrung`: the rollout dashboard. The range, the granularity and
//! the municipality live in the address, so a view can be bookmarked and
//! sent round, and the filter works as a plain form without JavaScript.

use super::chart::{Line, LineChart};
use super::server_fns::rollout_dashboard;
use super::{Dashboard, DashboardRequest, Granularity, Kind, Metric, Series, Standing};
use crate::ui::ErrorNotice;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn RolloutPage() -> impl IntoView {
    let query = use_query_map();
    let request = Memo::new(move |_| DashboardRequest::from_query(|key| query.read().get(key)));
    let dashboard = crate::server_json::resource(move || request.get(), rollout_dashboard);
    view! {
        <Title text="Einführungsstand"/>
        <h1>"Einführungsstand"</h1>
        <p class="lead">
            "Wie weit die Einführung in jeder Gemeinde ist, Tag für Tag oder Woche für Woche. "
            "Alle Zahlen stammen aus dem, was in Aktenwerk tatsächlich geschehen ist; "
            "nichts wird von Hand eingetragen, und der Übungsbereich zählt nicht mit."
        </p>
        <Transition fallback=|| view! { <p>"Zahlen werden berechnet …"</p> }>
            {move || Suspend::new(async move {
                match dashboard.await {
                    Ok(dashboard) => view! { <DashboardView dashboard/> }.into_any(),
                    Err(error) => view! {
                        <FilterForm
                            von=request.get_untracked().von
                            bis=request.get_untracked().bis
                            granularity=Granularity::parse(&request.get_untracked().einteilung).unwrap_or_default()
                            choosable=Vec::new()
                            selected=None
                        />
                        <ErrorNotice error/>
                    }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn DashboardView(dashboard: Dashboard) -> impl IntoView {
    let csv_query = DashboardRequest {
        von: dashboard.from.clone(),
        bis: dashboard.to.clone(),
        einteilung: dashboard.granularity.as_str().to_string(),
        gemeinde: dashboard
            .selected
            .map(|id| id.to_string())
            .unwrap_or_default(),
    }
    .query();
    let scope = match dashboard.municipalities.as_slice() {
        [one] => one.name.clone(),
        _ => "alle Gemeinden".to_string(),
    };
    let choosable = if dashboard.choosable.len() > 1 {
        dashboard.choosable.clone()
    } else {
        Vec::new()
    };
    let head = view! {
        <FilterForm
            von=dashboard.from.clone()
            bis=dashboard.to.clone()
            granularity=dashboard.granularity
            choosable
            selected=dashboard.selected
        />
        <p class="actions">
            <a class="button secondary" href=format!("/einfuehrung/zahlen.csv?{csv_query}") rel="external" download="">
                "Zahlen als CSV herunterladen"
            </a>
        </p>
        <p class="hint" role="status" data-testid="zeitraum">
            {format!(
                "Zeitraum {} bis {} · {} · {}",
                german_date(&dashboard.from),
                german_date(&dashboard.to),
                dashboard.granularity.label(),
                scope
            )}
        </p>
        <StandingTable standings=dashboard.standings.clone() to=german_date(&dashboard.to)/>
    }
    .into_any();
    let charts = dashboard
        .series
        .iter()
        .map(|series| view! { <MetricSection dashboard=dashboard.clone() series=series.clone()/> })
        .collect_view();
    view! {
        {head}
        <div class="metric-grid">{charts}</div>
    }
}

/// `2026-11-24` → `24.11.2026`.
fn german_date(iso: &str) -> String {
    let mut parts = iso.split('-');
    match (parts.next(), parts.next(), parts.next()) {
        (Some(y), Some(m), Some(d)) => format!("{d}.{m}.{y}"),
        _ => iso.to_string(),
    }
}

#[component]
fn FilterForm(
    von: String,
    bis: String,
    granularity: Granularity,
    choosable: Vec<super::MunicipalityName>,
    selected: Option<i64>,
) -> impl IntoView {
    let place = (!choosable.is_empty()).then(|| {
        view! {
            <div class="field">
                <label for="einfuehrung-gemeinde">"Gemeinde"</label>
                <select id="einfuehrung-gemeinde" name="gemeinde">
                    <option value="" selected=selected.is_none()>"Alle Gemeinden"</option>
                    {choosable.into_iter().map(|m| view! {
                        <option value=m.id.to_string() selected=selected == Some(m.id)>{m.name}</option>
                    }).collect_view()}
                </select>
            </div>
        }
    });
    view! {
        <form method="get" action="/einfuehrung" class="filter-form" aria-label="Zeitraum und Gemeinde wählen">
            <div class="field">
                <label for="einfuehrung-von">"Von"</label>
                <input id="einfuehrung-von" name="von" type="date" value=von.clone() prop:value=von required/>
            </div>
            <div class="field">
                <label for="einfuehrung-bis">"Bis"</label>
                <input id="einfuehrung-bis" name="bis" type="date" value=bis.clone() prop:value=bis required/>
            </div>
            <div class="field">
                <label for="einfuehrung-einteilung">"Einteilung"</label>
                <select id="einfuehrung-einteilung" name="einteilung">
                    <option value="tag" selected=granularity == Granularity::Day>"nach Tagen"</option>
                    <option value="woche" selected=granularity == Granularity::Week>"nach Kalenderwochen"</option>
                </select>
            </div>
            {place}
            <div class="field field-action">
                <button type="submit" class="button primary">"Anzeigen"</button>
            </div>
        </form>
    }
}

#[component]
fn StandingTable(standings: Vec<Standing>, to: String) -> impl IntoView {
    view! {
        <section class="panel" aria-labelledby="einfuehrung-stand">
            <h2 id="einfuehrung-stand">{format!("Stand am {to}")}</h2>
            <div class="table-scroll" tabindex="0" role="group" aria-labelledby="einfuehrung-stand">
                <table class="data-table" data-testid="stand">
                    <caption class="visually-hidden">"Konten, Nutzung, Schulung und Kenntnisnahmen je Gemeinde am Ende des Zeitraums"</caption>
                    <thead>
                        <tr>
                            <th scope="col">"Gemeinde"</th>
                            <th scope="col">"Konten"</th>
                            <th scope="col">"Aktiv im Zeitraum"</th>
                            <th scope="col">"Mindestens ein Rundgang"</th>
                            <th scope="col">"Mindestens eine Schulung"</th>
                            <th scope="col">"Kenntnisnahmen"</th>
                        </tr>
                    </thead>
                    <tbody>
                        {standings.into_iter().map(|s| view! {
                            <tr>
                                <th scope="row">{s.municipality.clone()}</th>
                                <td>{s.accounts.to_string()}</td>
                                <td>{Standing::share(s.active_in_range, s.accounts)}</td>
                                <td>{Standing::share(s.finished_a_tour, s.accounts)}</td>
                                <td>{Standing::share(s.attended_training, s.accounts)}</td>
                                <td>{Standing::share(s.acks_given, s.acks_due)}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </section>
    }
}

/// "zusammen 12", "9 verschiedene Personen" or "am Ende 4".
fn range_phrase(kind: Kind, value: i64) -> String {
    match kind {
        Kind::Count => format!("zusammen {value}"),
        Kind::People if value == 1 => "1 Person".to_string(),
        Kind::People => format!("{value} verschiedene Personen"),
        Kind::Level => format!("am Ende {value}"),
    }
}

#[component]
fn MetricSection(dashboard: Dashboard, series: Series) -> impl IntoView {
    let metric: Metric = series.metric;
    let key = metric.key();
    let heading_id = format!("kennzahl-{key}");
    let labelled_by = heading_id.clone();
    let several = dashboard.municipalities.len() > 1;
    let lines: Vec<Line> = dashboard
        .municipalities
        .iter()
        .zip(&series.values)
        .map(|(m, values)| Line {
            name: m.name.clone(),
            values: values.clone(),
        })
        .collect();
    let description = {
        let per_place: Vec<String> = lines
            .iter()
            .zip(&series.range_values)
            .map(|(line, total)| {
                let peak = line
                    .values
                    .iter()
                    .enumerate()
                    .max_by_key(|(i, v)| (**v, std::cmp::Reverse(*i)));
                let peak = match peak {
                    Some((i, v)) if *v > 0 => {
                        format!(", höchster Wert {v} ({})", dashboard.periods[i].long_label)
                    }
                    _ => String::new(),
                };
                format!(
                    "{}: {}{peak}",
                    line.name,
                    range_phrase(metric.kind(), *total)
                )
            })
            .collect();
        format!(
            "Liniendiagramm, {} von {} bis {}. {}.",
            dashboard.granularity.label(),
            german_date(&dashboard.from),
            german_date(&dashboard.to),
            per_place.join("; ")
        )
    };
    let headline = if several {
        format!(
            "{} – alle Gemeinden: {}",
            metric.label(),
            range_phrase(metric.kind(), series.range_total)
        )
    } else {
        format!(
            "{}: {}",
            metric.label(),
            range_phrase(metric.kind(), series.range_total)
        )
    };
    let labels: Vec<String> = dashboard.periods.iter().map(|p| p.label.clone()).collect();
    let table = view! {
        <details class="chart-table">
            <summary>"Werte als Tabelle"<span class="visually-hidden">{format!(": {}", metric.label())}</span></summary>
            <div class="table-scroll" tabindex="0" role="group" aria-label=format!("Werte: {}", metric.label())>
                <table class="data-table compact" data-metric=key>
                    <caption class="visually-hidden">{format!("{} je Zeitraum und Gemeinde", metric.label())}</caption>
                    <thead>
                        <tr>
                            <th scope="col">"Zeitraum"</th>
                            {dashboard.municipalities.iter().map(|m| view! { <th scope="col">{m.name.clone()}</th> }).collect_view()}
                            {several.then(|| view! { <th scope="col">"Alle Gemeinden"</th> })}
                        </tr>
                    </thead>
                    <tbody>
                        {dashboard.periods.iter().enumerate().map(|(p, period)| view! {
                            <tr>
                                <th scope="row">{period.long_label.clone()}</th>
                                {series.values.iter().map(|row| view! { <td>{row[p].to_string()}</td> }).collect_view()}
                                {several.then(|| view! { <td>{series.total[p].to_string()}</td> })}
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </details>
    }
    .into_any();
    view! {
        <section class="panel metric" aria-labelledby=labelled_by data-metric=key>
            <h2 id=heading_id>{metric.label()}</h2>
            <p class="hint">{metric.explanation()}</p>
            <p class="metric-total" data-testid=format!("summe-{key}")>{headline}</p>
            <LineChart id=format!("diagramm-{key}") title=metric.label().to_string() description labels lines/>
            {table}
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_phrases_read_german() {
        assert_eq!(german_date("2026-11-24"), "24.11.2026");
        assert_eq!(range_phrase(Kind::People, 1), "1 Person");
        assert_eq!(range_phrase(Kind::People, 3), "3 verschiedene Personen");
        assert_eq!(range_phrase(Kind::Level, 4), "am Ende 4");
    }
}
