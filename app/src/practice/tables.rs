//! Every table of the schema with what practice areas do to it. The reset
//! clears an area from this list, and a test compares the list with the
//! migrated schema: a new table without a decision here fails the test.

/// What practice areas do to a table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Policy {
    /// Filled from the template when an area is made or reset (through the
    /// features' own storage, or by the work the template's documents
    /// queue); the reset deletes the area's rows first. `area_rows` selects
    /// them, with `?1` the area's municipality id.
    Template { area_rows: &'static str },
    /// Written only while practising, never by the template; the reset
    /// deletes the area's rows (`area_rows`, as above).
    Practice { area_rows: &'static str },
    /// One copy for every municipality, practice areas included; practice
    /// reads it and the reset leaves it alone.
    Shared,
    /// Not about an area's records: people, sign-ins, the audit trail and
    /// what the project team publishes. The reset leaves it alone.
    NotAreaScoped,
}

/// A table and its policy; `why` is what a reviewer needs to agree.
#[derive(Clone, Copy, Debug)]
pub struct Table {
    pub name: &'static str,
    pub policy: Policy,
    pub why: &'static str,
}

const DOCUMENTS: &str = "document_id IN (SELECT id FROM documents WHERE municipality_id = ?1)";
const VERSIONS: &str = "version_id IN (SELECT v.id FROM document_versions v
     JOIN documents d ON d.id = v.document_id WHERE d.municipality_id = ?1)";

/// The tables, children before their parents: the reset deletes in this
/// order.
pub const TABLES: &[Table] = &[
    // Laufwege (Mitzeichnung, Freigabe).
    Table {
        name: "laufweg_schritte",
        policy: Policy::Template {
            area_rows: "laufweg_id IN (SELECT id FROM laufwege WHERE municipality_id = ?1)",
        },
        why: "the steps of the template's open Laufweg and of those started while practising",
    },
    Table {
        name: "laufwege",
        policy: Policy::Template {
            area_rows: "municipality_id = ?1",
        },
        why: "the template's open Laufweg (asking the trainee) and those started while practising",
    },
    // The Postkorb.
    Table {
        name: "zuweisungen",
        policy: Policy::Practice {
            area_rows: "municipality_id = ?1",
        },
        why: "documents and Vorgänge handed on while practising",
    },
    Table {
        name: "wiedervorlagen",
        policy: Policy::Template {
            area_rows: "municipality_id = ?1",
        },
        why: "the template's Wiedervorlagen (overdue, today, to come) and those set while practising",
    },
    // Documents and what hangs off them.
    Table {
        name: "version_texts",
        policy: Policy::Template { area_rows: VERSIONS },
        why: "found by the extraction of the template's documents",
    },
    Table {
        name: "jobs",
        policy: Policy::Template { area_rows: VERSIONS },
        why: "the template's documents queue their extraction like uploads",
    },
    Table {
        name: "ablagevorschlaege",
        policy: Policy::Practice { area_rows: DOCUMENTS },
        why: "filing suggestions shown for documents uploaded while practising",
    },
    Table {
        name: "dokument_anhaenge",
        policy: Policy::Practice { area_rows: DOCUMENTS },
        why: "attachments of e-mails a trainee uploads while practising",
    },
    Table {
        name: "document_tags",
        policy: Policy::Template { area_rows: DOCUMENTS },
        why: "the template tags its documents",
    },
    Table {
        name: "document_versions",
        policy: Policy::Template { area_rows: DOCUMENTS },
        why: "each template document has its first version",
    },
    Table {
        name: "documents",
        policy: Policy::Template {
            area_rows: "municipality_id = ?1",
        },
        why: "the template's documents, filed or in the Posteingang",
    },
    Table {
        name: "blobs",
        policy: Policy::Shared,
        why: "content-addressed files used by every municipality; the reset \
              releases only those nothing uses any more",
    },
    Table {
        name: "search_outbox",
        policy: Policy::Shared,
        why: "the indexer's queue; the delete triggers put the reset's \
              removals here, so the reset must not empty it",
    },
    // Akten and their Vorgänge.
    Table {
        name: "vorgang_counters",
        policy: Policy::Template {
            area_rows: "akte_id IN (SELECT id FROM akten WHERE municipality_id = ?1)",
        },
        why: "the numbers of the template's Vorgänge and of those opened while practising",
    },
    Table {
        name: "vorgaenge",
        policy: Policy::Template {
            area_rows: "municipality_id = ?1",
        },
        why: "the template's Vorgänge (offen, in Bearbeitung, zdA) and those opened while practising",
    },
    Table {
        name: "akten_shares",
        policy: Policy::Practice {
            area_rows: "municipality_id = ?1 OR akte_id IN (SELECT id FROM akten WHERE municipality_id = ?1)",
        },
        why: "shares made while practising; the template shares nothing",
    },
    Table {
        name: "akten_counters",
        policy: Policy::Template {
            area_rows: "municipality_id = ?1",
        },
        why: "the running numbers of the template's Akten",
    },
    Table {
        name: "akten",
        policy: Policy::Template {
            area_rows: "municipality_id = ?1",
        },
        why: "the template's Akten",
    },
    // The shared Aktenplan.
    Table {
        name: "plan_proposal_comments",
        policy: Policy::Practice {
            area_rows: "proposal_id IN (SELECT id FROM plan_proposals WHERE practice_municipality_id = ?1)",
        },
        why: "comments on proposals made while practising",
    },
    Table {
        name: "plan_proposals",
        policy: Policy::Practice {
            area_rows: "practice_municipality_id = ?1",
        },
        why: "proposals made while practising stay in the area",
    },
    Table {
        name: "plan_positions",
        policy: Policy::Shared,
        why: "the one Aktenplan every municipality files into",
    },
    Table {
        name: "plan_code_history",
        policy: Policy::Shared,
        why: "history of the shared Aktenplan",
    },
    Table {
        name: "plan_release_changes",
        policy: Policy::Shared,
        why: "releases of the shared Aktenplan",
    },
    Table {
        name: "plan_releases",
        policy: Policy::Shared,
        why: "releases of the shared Aktenplan",
    },
    // People and the house.
    Table {
        name: "municipalities",
        policy: Policy::NotAreaScoped,
        why: "the area itself is a row here, made once and kept by resets",
    },
    Table {
        name: "users",
        policy: Policy::NotAreaScoped,
        why: "accounts; the practice switch is the person's",
    },
    Table {
        name: "sessions",
        policy: Policy::NotAreaScoped,
        why: "sign-in bookkeeping of the person",
    },
    Table {
        name: "login_failures",
        policy: Policy::NotAreaScoped,
        why: "sign-in throttling of the person",
    },
    Table {
        name: "funktionen",
        policy: Policy::NotAreaScoped,
        why: "the municipality's real roles; a practice Laufweg asks only the trainee",
    },
    Table {
        name: "funktion_mitglieder",
        policy: Policy::NotAreaScoped,
        why: "who holds a real Funktion",
    },
    Table {
        name: "postfaecher",
        policy: Policy::NotAreaScoped,
        why: "the municipality's real mailboxes; practice areas have no Postfach",
    },
    Table {
        name: "postfach_nachrichten",
        policy: Policy::NotAreaScoped,
        why: "messages the real mailboxes delivered",
    },
    Table {
        name: "scan_dateien",
        policy: Policy::NotAreaScoped,
        why: "files the real scanners delivered; practice areas have no Scan-Ordner",
    },
    Table {
        name: "scan_ordner",
        policy: Policy::NotAreaScoped,
        why: "the municipality's real scanner folders",
    },
    Table {
        name: "vertretungen",
        policy: Policy::NotAreaScoped,
        why: "real absences of people; nobody stands in for anyone in a practice area",
    },
    Table {
        name: "audit_log",
        policy: Policy::NotAreaScoped,
        why: "append-only; practice records write no entries, entering, \
              leaving and resetting are real entries",
    },
    Table {
        name: "user_activity_days",
        policy: Policy::NotAreaScoped,
        why: "days of use count for the home municipality",
    },
    Table {
        name: "user_activity_years",
        policy: Policy::NotAreaScoped,
        why: "the days of use as bits, kept by triggers on user_activity_days",
    },
    Table {
        name: "rollout_days",
        policy: Policy::NotAreaScoped,
        why: "the rollout figures' summary, for real municipalities only; \
              practice areas never enter it",
    },
    // What the project team publishes, and the person's answers to it.
    Table {
        name: "tours",
        policy: Policy::NotAreaScoped,
        why: "walkthroughs written by the project team",
    },
    Table {
        name: "tour_roles",
        policy: Policy::NotAreaScoped,
        why: "who a walkthrough is for",
    },
    Table {
        name: "tour_steps",
        policy: Policy::NotAreaScoped,
        why: "steps of a walkthrough",
    },
    Table {
        name: "tour_runs",
        policy: Policy::NotAreaScoped,
        why: "the person's progress, kept across resets",
    },
    Table {
        name: "tour_offer_answers",
        policy: Policy::NotAreaScoped,
        why: "the person's answer to a walkthrough offer",
    },
    Table {
        name: "announcements",
        policy: Policy::NotAreaScoped,
        why: "news from the project team",
    },
    Table {
        name: "announcement_municipalities",
        policy: Policy::NotAreaScoped,
        why: "targeting of news to real municipalities",
    },
    Table {
        name: "announcement_roles",
        policy: Policy::NotAreaScoped,
        why: "targeting of news to roles",
    },
    Table {
        name: "announcement_receipts",
        policy: Policy::NotAreaScoped,
        why: "the person read the news",
    },
    Table {
        name: "guides",
        policy: Policy::NotAreaScoped,
        why: "Dienstanweisungen of the house",
    },
    Table {
        name: "guide_versions",
        policy: Policy::NotAreaScoped,
        why: "versions of the Dienstanweisungen",
    },
    Table {
        name: "guide_screens",
        policy: Policy::NotAreaScoped,
        why: "where a Dienstanweisung is shown",
    },
    Table {
        name: "guide_acknowledgements",
        policy: Policy::NotAreaScoped,
        why: "the person acknowledged a Dienstanweisung",
    },
    Table {
        name: "questions",
        policy: Policy::NotAreaScoped,
        why: "asked under the home municipality, also while practising",
    },
    Table {
        name: "question_messages",
        policy: Policy::NotAreaScoped,
        why: "messages of a question",
    },
    Table {
        name: "faq_entries",
        policy: Policy::NotAreaScoped,
        why: "answers the project team published",
    },
    Table {
        name: "training_sessions",
        policy: Policy::NotAreaScoped,
        why: "Schulungstermine of the project team",
    },
    Table {
        name: "training_session_municipalities",
        policy: Policy::NotAreaScoped,
        why: "targeting of sessions to real municipalities",
    },
    Table {
        name: "training_session_roles",
        policy: Policy::NotAreaScoped,
        why: "targeting of sessions to roles",
    },
    Table {
        name: "training_registrations",
        policy: Policy::NotAreaScoped,
        why: "the person's registration, under the home municipality",
    },
];

/// The tables a reset deletes an area's rows from, in a safe order, with
/// their `area_rows` condition.
pub fn cleared_by_reset() -> impl Iterator<Item = (&'static str, &'static str)> {
    TABLES.iter().filter_map(|table| match table.policy {
        Policy::Template { area_rows } | Policy::Practice { area_rows } => {
            Some((table.name, area_rows))
        }
        Policy::Shared | Policy::NotAreaScoped => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    /// Shadow tables SQLite makes for an FTS5 table `x` (`x_data` …):
    /// they come and go with `x`, which itself must be in [`TABLES`].
    const FTS_SHADOWS: [&str; 5] = ["_data", "_idx", "_content", "_docsize", "_config"];

    async fn migrated() -> (tempfile::TempDir, sqlx::SqlitePool) {
        let dir = tempfile::tempdir().expect("tempdir");
        let url = format!("sqlite://{}/practice-tables.db", dir.path().display());
        let pool = crate::db::connect(&url).await.expect("connect");
        crate::db::migrate(&pool).await.expect("migrate");
        (dir, pool)
    }

    #[tokio::test]
    async fn every_table_of_the_schema_has_a_practice_policy() {
        let (_dir, pool) = migrated().await;
        let rows: Vec<(String, Option<String>)> = sqlx::query_as(
            "SELECT name, sql FROM sqlite_master WHERE type = 'table'
             AND name NOT LIKE 'sqlite_%' AND name != '_sqlx_migrations'",
        )
        .fetch_all(&pool)
        .await
        .expect("schema");
        let virtual_tables: Vec<&str> = rows
            .iter()
            .filter(|(_, sql)| {
                sql.as_deref()
                    .is_some_and(|sql| sql.to_uppercase().starts_with("CREATE VIRTUAL TABLE"))
            })
            .map(|(name, _)| name.as_str())
            .collect();
        let is_shadow = |name: &str| {
            virtual_tables.iter().any(|owner| {
                FTS_SHADOWS
                    .iter()
                    .any(|suffix| name == format!("{owner}{suffix}"))
            })
        };
        let schema: BTreeSet<&str> = rows
            .iter()
            .map(|(name, _)| name.as_str())
            .filter(|name| !is_shadow(name))
            .collect();
        let registry: BTreeSet<&str> = TABLES.iter().map(|t| t.name).collect();
        assert_eq!(registry.len(), TABLES.len(), "a table is listed twice");
        let missing: Vec<_> = schema.difference(&registry).collect();
        assert!(
            missing.is_empty(),
            "tables without a practice policy: {missing:?}; add each to \
             app/src/practice/tables.rs (copied from the template, reset per \
             area, shared, or not area-scoped) with the reason"
        );
        let gone: Vec<_> = registry.difference(&schema).collect();
        assert!(gone.is_empty(), "listed but not in the schema: {gone:?}");
    }

    #[tokio::test]
    async fn area_conditions_are_valid_sql_and_children_come_first() {
        let (_dir, pool) = migrated().await;
        for (table, area_rows) in cleared_by_reset() {
            sqlx::query(&format!("DELETE FROM {table} WHERE {area_rows}"))
                .bind(99_i64)
                .execute(&pool)
                .await
                .unwrap_or_else(|e| panic!("{table}: {e}"));
        }
        // A table referring to another one cleared by the reset must be
        // cleared before it, or the delete breaks a foreign key.
        let cleared: Vec<&str> = cleared_by_reset().map(|(table, _)| table).collect();
        for (position, table) in cleared.iter().enumerate() {
            let parents: Vec<String> =
                sqlx::query_scalar("SELECT \"table\" FROM pragma_foreign_key_list(?)")
                    .bind(table)
                    .fetch_all(&pool)
                    .await
                    .expect("foreign keys");
            for parent in parents {
                if let Some(at) = cleared.iter().position(|t| *t == parent) {
                    assert!(at > position, "{table} must come before {parent}");
                }
            }
        }
    }
}
