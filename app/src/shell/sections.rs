//! The sections of the house, each with the guard its page's server
//! functions apply: the navigation and the start page tiles are derived from
//! this one list, so nobody is shown a way into a page that would refuse
//! them.

use crate::auth::guard::Rule;
use crate::auth::SessionUser;

/// How the navigation shows the link: most plainly, two with a count of
/// what is new.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Badge {
    None,
    UnreadNews,
    Questions,
    Postkorb,
}

#[derive(Clone, Copy, Debug)]
pub struct Section {
    pub href: &'static str,
    pub label: &'static str,
    /// Shown to whoever any of these rules allows: the rules the page's own
    /// server functions require.
    pub rules: &'static [Rule],
    /// The anchor guided tours point at in the navigation.
    pub tour: Option<&'static str>,
    pub badge: Badge,
    /// The start page shows a tile with this text.
    pub tile: Option<&'static str>,
}

impl Section {
    pub fn visible_to(&self, user: &SessionUser) -> bool {
        self.rules.iter().any(|rule| rule.allows(user))
    }
}

const fn section(href: &'static str, label: &'static str, rules: &'static [Rule]) -> Section {
    Section {
        href,
        label,
        rules,
        tour: None,
        badge: Badge::None,
        tile: None,
    }
}

impl Section {
    const fn tour(self, tour: &'static str) -> Section {
        Section {
            tour: Some(tour),
            ..self
        }
    }

    const fn badge(self, badge: Badge) -> Section {
        Section { badge, ..self }
    }

    const fn tile(self, text: &'static str) -> Section {
        Section {
            tile: Some(text),
            ..self
        }
    }
}

/// In the order of the navigation.
pub const SECTIONS: &[Section] = &[
    section("/", "Start", &[Rule::SignedIn]),
    // load_postkorb: what waits for a clerk, counted in the navigation.
    section("/postkorb", "Postkorb", &[Rule::Clerk])
        .tour("nav-postkorb")
        .badge(Badge::Postkorb),
    // load_inbox, find_filing_targets, the upload.
    section("/posteingang", "Posteingang", &[Rule::Clerk])
        .tour("nav-posteingang")
        .tile("Eingehende Post hochladen und in Akten ablegen."),
    section("/aktenplan", "Aktenplan", &[Rule::OpenAkten])
        .tour("nav-aktenplan")
        .tile("Der gemeinsame Aktenplan der vier Gemeinden mit allen Akten."),
    // search_documents.
    section("/suche", "Suche", &[Rule::Clerk])
        .tour("nav-suche")
        .tile("Dokumente und Akten über den Volltext finden."),
    section("/neuigkeiten", "Neuigkeiten", &[Rule::SignedIn])
        .badge(Badge::UnreadNews)
        .tile("Mitteilungen und Dienstanweisungen des Projektteams."),
    section("/dienstanweisungen", "Dienstanweisungen", &[Rule::SignedIn]),
    section("/fragen", "Fragen", &[Rule::SignedIn]).badge(Badge::Questions),
    section("/schulung", "Schulung", &[Rule::SignedIn])
        .tour("nav-schulung")
        .tile("Geführte Rundgänge, Übungsbereich und Schulungstermine."),
    section("/schulungstermine", "Schulungstermine", &[Rule::SignedIn]),
    section("/uebung", "Übungsbereich", &[Rule::SignedIn]),
    // list_trash: clerks restore, the administration empties.
    section(
        "/papierkorb",
        "Papierkorb",
        &[Rule::Clerk, Rule::Administration],
    ),
    section("/einfuehrung", "Einführungsstand", &[Rule::RolloutFigures])
        .tile("Nutzung, Ablage, Schulung und Kenntnisnahmen je Gemeinde, Tag für Tag."),
    section("/verwaltung", "Verwaltung", &[Rule::Administration]),
];

/// The sections `user` may open, in navigation order.
pub fn visible_to(user: &SessionUser) -> impl Iterator<Item = &'static Section> + '_ {
    SECTIONS
        .iter()
        .filter(move |section| section.visible_to(user))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::{PracticeArea, Role};
    use crate::municipalities::Municipality;

    fn user(role: Role, practice: bool) -> SessionUser {
        let municipality = Municipality {
            id: 2,
            code: "ERB".into(),
            name: "Erbach".into(),
        };
        SessionUser {
            id: 1,
            username: "u".into(),
            display_name: "U".into(),
            role,
            municipality: municipality.clone(),
            all_municipalities: false,
            must_change_password: false,
            practice: practice.then_some(PracticeArea {
                home: municipality,
                home_all_municipalities: false,
            }),
        }
    }

    fn hrefs(user: &SessionUser) -> Vec<&'static str> {
        visible_to(user).map(|s| s.href).collect()
    }

    #[test]
    fn casework_sections_only_for_those_who_do_casework() {
        for role in [Role::Projektteam, Role::Administration] {
            let seen = hrefs(&user(role, false));
            for casework in ["/posteingang", "/suche"] {
                assert!(!seen.contains(&casework), "{role:?} sees {casework}");
            }
            assert!(seen.contains(&"/einfuehrung"), "{role:?}");
        }
        assert!(hrefs(&user(Role::Administration, false)).contains(&"/papierkorb"));
        assert!(!hrefs(&user(Role::Projektteam, false)).contains(&"/papierkorb"));
        for (role, practice) in [(Role::Sachbearbeitung, false), (Role::Projektteam, true)] {
            let seen = hrefs(&user(role, practice));
            for casework in ["/posteingang", "/aktenplan", "/suche", "/papierkorb"] {
                assert!(seen.contains(&casework), "{role:?} misses {casework}");
            }
            assert!(!seen.contains(&"/verwaltung"), "{role:?}");
        }
    }

    #[test]
    fn every_section_is_open_to_someone_and_listed_once() {
        let mut seen = std::collections::BTreeSet::new();
        for section in SECTIONS {
            assert!(!section.rules.is_empty(), "{}", section.href);
            assert!(seen.insert(section.href), "{} twice", section.href);
        }
    }
}
