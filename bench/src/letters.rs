//! German letters from a municipality, deterministic by seed, and the
//! "scans" made of them (rasterised by `pdftoppm` without a text layer):
//! what the OCR and memory benchmarks feed through the job system.

use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

pub type BoxError = Box<dyn std::error::Error + Send + Sync>;

const FIRST_NAMES: &[&str] = &[
    "Jürgen", "Sabine", "Klaus", "Monika", "Stefan", "Birgit", "Andreas", "Ursula", "Thomas",
    "Renate", "Michael", "Gisela", "Matthias", "Annegret", "Frank", "Dörte",
];
const LAST_NAMES: &[&str] = &[
    "Müller",
    "Schäfer",
    "Weißmann",
    "Becker",
    "Köhler",
    "Hoffmann",
    "Schröder",
    "Bauer",
    "Krüger",
    "Zimmermann",
    "Fischer",
    "Lößner",
    "Wagner",
    "Hartmann",
];
const STREETS: &[&str] = &[
    "Erbacher Straße",
    "Am Löwenhof",
    "Braunstraße",
    "Große Gasse",
    "Frankfurter Straße",
    "Odenwaldring",
    "Mühlweg",
    "Schulstraße",
    "Jahnstraße",
    "Kellereigasse",
];
const PLACES: &[(&str, &str)] = &[
    ("64720", "Michelstadt"),
    ("64711", "Erbach"),
    ("64732", "Bad König"),
    ("64739", "Höchst im Odenwald"),
];
const SUBJECTS: &[(&str, &str, &str)] = &[
    (
        "Gebührenbescheid über die Benutzung der Stadthalle",
        "Benutzung der Stadthalle",
        "32.11",
    ),
    (
        "Festsetzung der Grundsteuer B für das Jahr 2026",
        "Grundsteuer B",
        "20.24",
    ),
    (
        "Genehmigung einer Sondernutzung des öffentlichen Straßenraums",
        "Sondernutzung",
        "66.31",
    ),
    (
        "Anhörung zur Beseitigung eines Überhangs an der Grundstücksgrenze",
        "Grünschnitt",
        "32.40",
    ),
    (
        "Bescheid über Abwassergebühren und Niederschlagswasser",
        "Abwassergebühren",
        "20.51",
    ),
    (
        "Erteilung einer Gaststättenerlaubnis nach § 2 GastG",
        "Gaststättenerlaubnis",
        "32.22",
    ),
];
const PARAGRAPHS: &[&[&str]] = &[
    &[
        "wir nehmen Bezug auf Ihren Antrag vom {date} und teilen Ihnen mit, dass die",
        "Prüfung durch das Ordnungsamt der Stadt Michelstadt abgeschlossen ist. Nach",
        "Würdigung aller Umstände ergeht der folgende Bescheid.",
    ],
    &[
        "Die Festsetzung beruht auf der Satzung der Stadt in der derzeit gültigen",
        "Fassung sowie auf den Angaben, die Sie im Verfahren gemacht haben. Änderungen",
        "der Verhältnisse sind uns unverzüglich schriftlich mitzuteilen.",
    ],
    &[
        "Bei einer Ortsbesichtigung am {date} wurde festgestellt, dass Hecken und",
        "Sträucher Ihres Grundstücks in den Gehweg hineinragen. Wir bitten Sie, den",
        "Rückschnitt innerhalb von vier Wochen nach Zugang dieses Schreibens vorzunehmen.",
    ],
    &[
        "Die Erlaubnis wird widerruflich erteilt und ist an die Person des Antragstellers",
        "gebunden. Sie kann mit Auflagen verbunden werden, soweit dies zum Schutz der",
        "Nachbarschaft vor Lärm, Gerüchen oder sonstigen Belästigungen erforderlich ist.",
    ],
    &[
        "Für Rückfragen steht Ihnen unser Bürgerbüro montags bis freitags von 8 bis 12 Uhr",
        "sowie donnerstags von 14 bis 18 Uhr zur Verfügung. Bitte halten Sie dafür das",
        "oben genannte Aktenzeichen bereit.",
    ],
];
const CLERKS: &[&str] = &[
    "Katharina Vögele",
    "Martin Großkopf",
    "Elke Dürr",
    "Holger Schäufele",
];

/// A date in 2026 as `TT.MM.2026`.
pub fn date(rng: &mut StdRng) -> String {
    format!(
        "{:02}.{:02}.2026",
        rng.gen_range(1..=28),
        rng.gen_range(1..=12)
    )
}

pub fn pick<'a, T>(rng: &mut StdRng, items: &'a [T]) -> &'a T {
    // The lists are constants and never empty.
    &items[rng.gen_range(0..items.len())]
}

/// The lines of letter `number`: sender, address, reference, subject,
/// paragraphs, amounts, instructions on appeal, signature.
pub fn letter(number: usize, rng: &mut StdRng) -> Vec<String> {
    let first = pick(rng, FIRST_NAMES);
    let last = pick(rng, LAST_NAMES);
    let street = pick(rng, STREETS);
    let (zip, place) = pick(rng, PLACES);
    let (subject, short, file_code) = pick(rng, SUBJECTS);
    let salutation = if rng.gen_bool(0.5) {
        ("Herrn", "Sehr geehrter Herr")
    } else {
        ("Frau", "Sehr geehrte Frau")
    };
    let fee = rng.gen_range(2_500..250_000u64);
    let costs = rng.gen_range(300..4_000u64);
    let mut lines = vec![
        "Stadt Michelstadt - Der Magistrat - Ordnungsamt".to_string(),
        "Erbacher Straße 12, 64720 Michelstadt, Telefon 06061 74-0".to_string(),
        String::new(),
        salutation.0.to_string(),
        format!("{first} {last}"),
        format!("{street} {}", rng.gen_range(1..120)),
        format!("{zip} {place}"),
        String::new(),
        format!(
            "Aktenzeichen: {file_code}/{:04}-{number:03}                    Michelstadt, {}",
            rng.gen_range(100..9999),
            date(rng)
        ),
        String::new(),
        format!("Betreff: {subject}"),
        String::new(),
        format!("{} {last},", salutation.1),
        String::new(),
    ];
    let mut order: Vec<usize> = (0..PARAGRAPHS.len()).collect();
    order.shuffle(rng);
    for &index in order.iter().take(3) {
        for line in PARAGRAPHS[index] {
            lines.push(line.replace("{date}", &date(rng)));
        }
        lines.push(String::new());
    }
    lines.extend([
        format!("Für die {short} werden festgesetzt:"),
        format!(
            "    Gebühr nach der Gebührenordnung          {}",
            crate::corpus::euro(fee)
        ),
        format!(
            "    Auslagen und Zustellung                  {}",
            crate::corpus::euro(costs)
        ),
        format!(
            "    Gesamtbetrag                             {}",
            crate::corpus::euro(fee + costs)
        ),
        String::new(),
        format!(
            "Bitte überweisen Sie den Gesamtbetrag bis zum {} an die Stadtkasse,",
            date(rng)
        ),
        format!(
            "IBAN DE{:02} 5085 1952 {:04} {:04} 00, unter Angabe des Aktenzeichens.",
            rng.gen_range(10..99),
            rng.gen_range(1000..9999),
            rng.gen_range(1000..9999)
        ),
        String::new(),
        "Rechtsbehelfsbelehrung: Gegen diesen Bescheid kann innerhalb eines Monats nach".into(),
        "Bekanntgabe Widerspruch erhoben werden. Der Widerspruch ist schriftlich oder zur".into(),
        "Niederschrift beim Magistrat der Stadt Michelstadt einzulegen.".into(),
        String::new(),
        "Mit freundlichen Grüßen".into(),
        "Im Auftrag".into(),
        String::new(),
        pick(rng, CLERKS).to_string(),
    ]);
    lines
}

/// Writes every letter as PDF and rasterises it to `seite-NNN.png`.
pub fn generate_scans(
    dir: &Path,
    pages: usize,
    cores: usize,
    seed: u64,
) -> Result<Vec<PathBuf>, BoxError> {
    let mut rng = StdRng::seed_from_u64(seed);
    let mut pdfs = Vec::new();
    for number in 1..=pages {
        let pdf = dir.join(format!("seite-{number:03}.pdf"));
        std::fs::write(
            &pdf,
            crate::corpus::pdf::text_pdf(&letter(number, &mut rng)),
        )?;
        pdfs.push(pdf);
    }
    let results = in_parallel(&pdfs, cores, |pdf| {
        let scan = rasterise(pdf, Raster::Png)?;
        std::fs::remove_file(pdf)?;
        Ok(scan)
    });
    results.into_iter().collect()
}

/// The image formats a scanner writes, as `pdftoppm` makes them.
#[derive(Clone, Copy, Debug)]
pub enum Raster {
    Png,
    Jpeg,
    Tiff,
}

impl Raster {
    fn option(self) -> &'static str {
        match self {
            Raster::Png => "-png",
            Raster::Jpeg => "-jpeg",
            Raster::Tiff => "-tiff",
        }
    }

    fn extension(self) -> &'static str {
        match self {
            Raster::Png => "png",
            Raster::Jpeg => "jpg",
            Raster::Tiff => "tif",
        }
    }
}

/// The first page of `pdf` at 300 dpi in grey, beside it with the
/// format's extension: what an office scanner delivers.
pub fn rasterise(pdf: &Path, format: Raster) -> Result<PathBuf, BoxError> {
    let base = pdf.with_extension("");
    let output = Command::new("pdftoppm")
        .args(["-r", "300", "-gray", format.option(), "-singlefile"])
        .arg(pdf)
        .arg(&base)
        .stdin(Stdio::null())
        .output()?;
    if !output.status.success() {
        return Err(format!(
            "pdftoppm {}: {}",
            pdf.display(),
            String::from_utf8_lossy(&output.stderr)
        )
        .into());
    }
    Ok(base.with_extension(format.extension()))
}

/// Runs `work` over `items` on `threads` threads, each taking the next
/// item when it is free, as the job workers do; results in item order.
pub fn in_parallel<T: Sync, R: Send>(
    items: &[T],
    threads: usize,
    work: impl Fn(&T) -> Result<R, BoxError> + Sync,
) -> Vec<Result<R, BoxError>> {
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<Option<Result<R, BoxError>>>> =
        Mutex::new((0..items.len()).map(|_| None).collect());
    std::thread::scope(|scope| {
        for _ in 0..threads.max(1) {
            scope.spawn(|| loop {
                let index = next.fetch_add(1, Ordering::Relaxed);
                let Some(item) = items.get(index) else {
                    break;
                };
                let result = work(item);
                if let Ok(mut results) = results.lock() {
                    results[index] = Some(result);
                }
            });
        }
    });
    results
        .into_inner()
        .unwrap_or_default()
        .into_iter()
        .map(|result| result.unwrap_or_else(|| Err("a worker thread lost its result".into())))
        .collect()
}
