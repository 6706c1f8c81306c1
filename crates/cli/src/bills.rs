//! `domkom bills`: an account's bills by month, or one month's bill section by section, as
//! text, JSON or CSV.

use domkom_core::CoreError;
use domkom_core::bill::BillView;
use domkom_domain::Kopecks;
use domkom_domain::bill::VolumeMethod;
use domkom_domain::wire::{Account, Bill, ChargeLine};

/// How the bills are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    Json,
    Csv,
}

/// One account's bills as `domkom bills` prints them.
#[derive(Debug, serde::Serialize)]
pub struct AccountBills {
    pub account: Account,
    pub bills: Vec<BillView>,
}

/// Picks the accounts an argument names: its id or its number; all without one.
pub fn pick(accounts: Vec<Account>, wanted: Option<&str>) -> Result<Vec<Account>, CoreError> {
    let Some(wanted) = wanted.map(str::trim) else {
        return Ok(accounts);
    };
    let found: Vec<Account> =
        accounts.into_iter().filter(|a| a.number == wanted || a.id.get().to_string() == wanted).collect();
    if found.is_empty() {
        return Err(CoreError::invalid(
            "no_such_account",
            &[("account", wanted.to_owned())],
            format!("you hold no account {wanted}: `domkom bills` lists yours (sync first if it is new)"),
        ));
    }
    Ok(found)
}

/// Checks `--period`: a month as `YYYY-MM`.
pub fn check_period(period: &str) -> Result<(), CoreError> {
    let ok = period.len() == 7
        && period.as_bytes()[4] == b'-'
        && period[..4].bytes().all(|b| b.is_ascii_digit())
        && matches!(period[5..].parse::<u32>(), Ok(1..=12));
    if ok {
        return Ok(());
    }
    Err(CoreError::invalid(
        "bad_period",
        &[("period", period.to_owned())],
        format!("«{period}» is not a month: write it as YYYY-MM, e.g. 2026-10"),
    ))
}

fn rub(k: Kopecks) -> String {
    k.to_string()
}

fn signed(k: Kopecks) -> String {
    if k.0 > 0 { format!("+{k}") } else { k.to_string() }
}

/// How a line's own volume was found, in plain words.
pub fn method_words(l: &ChargeLine) -> String {
    let n = l.unread_periods;
    match l.volume_method {
        VolumeMethod::Meter => "by the meter".to_owned(),
        VolumeMethod::Average => format!("by the 6-month average: no reading submitted ({n} month(s) in a row)"),
        VolumeMethod::Norm if n > 0 => format!("by the norm: no reading for {n} months in a row"),
        VolumeMethod::Norm => "by the norm".to_owned(),
        VolumeMethod::Area => "by the area".to_owned(),
        VolumeMethod::None => String::new(),
    }
}

/// How a line's common-property (ОДН) volume was found, in plain words.
fn common_words(m: VolumeMethod) -> &'static str {
    match m {
        VolumeMethod::Meter => "by the house meter",
        VolumeMethod::Average => "by the house's average",
        VolumeMethod::Norm => "by the norm",
        VolumeMethod::Area => "by the area",
        VolumeMethod::None => "",
    }
}

/// The months of each account: total payable, the change from the month before, and its parts.
pub fn list_text(all: &[AccountBills]) -> String {
    let mut out = Vec::new();
    for a in all {
        out.push(format!(
            "account {} (id {}, ЕЛС {}), flat {}",
            a.account.number, a.account.id, a.account.els, a.account.premises_number
        ));
        for v in &a.bills {
            let b = &v.bill;
            let change = v.change.map(|c| format!("({})", signed(c))).unwrap_or_default();
            let warn = if v.adds_up { "" } else { "  DOES NOT ADD UP" };
            out.push(format!(
                "  {}  total {:>10} {change:<12} charges {:>9}  debt {:>9}  paid {:>9}  penalties {}{warn}",
                b.period,
                rub(b.total),
                rub(v.charges),
                rub(b.debt),
                rub(b.paid),
                rub(b.penalties)
            ));
        }
        if a.bills.is_empty() {
            out.push("  no bills yet".to_owned());
        }
    }
    out.join("\n")
}

/// One bill, section by section, as the paper ЕПД orders them.
pub fn bill_text(v: &BillView) -> String {
    let b: &Bill = &v.bill;
    let p = &b.payer;
    let area = |h: i64| format!("{}.{:02} m²", h / 100, h % 100);
    let mut out = vec![format!("ЕПД for {} (issued {})", b.period, b.issued_on), "1. Payer and provider".to_owned()];
    out.push(format!("   {}; {}", p.name, p.address));
    out.push(format!(
        "   account {}, ЕЛС {}; {} registered; total area {}, living {}",
        p.account,
        p.els,
        p.persons_registered,
        area(p.total_area),
        area(p.living_area)
    ));
    if let Some(org) = &b.provider {
        out.push(format!("   provider: {}", org.name));
    }
    out.push("2. Meter readings used".to_owned());
    for r in &b.readings {
        let t2 = r.t2.as_ref().map(|t| format!(", T2 {t}")).unwrap_or_default();
        out.push(format!("   №{} {}: T1 {}{t2}", r.serial, r.resource, r.t1));
    }
    if b.readings.is_empty() {
        out.push("   none this period".to_owned());
    }
    out.push("3. Charges".to_owned());
    for l in &b.charges {
        let method = method_words(l);
        let common = if l.common_volume.trim_start_matches(['0', '.']).is_empty() {
            String::new()
        } else {
            format!(" + common {} ({})", l.common_volume, common_words(l.common_method))
        };
        let recalc =
            if l.recalculation.0 == 0 { String::new() } else { format!(", recalculated {}", signed(l.recalculation)) };
        out.push(format!(
            "   {}: {} {} ({method}){common} × {} = {}{recalc} → {}",
            l.service,
            l.volume,
            l.unit,
            rub(l.rate),
            rub(l.accrued),
            rub(l.payable)
        ));
    }
    out.push(format!("   charges for the period {}", rub(v.charges)));
    out.push(format!("   debt from earlier {}, paid {}, penalties {}", rub(b.debt), rub(b.paid), rub(b.penalties)));
    out.push(format!("   TOTAL PAYABLE {}", rub(b.total)));
    out.push("4. Reference".to_owned());
    for t in &b.reference.tariffs {
        out.push(format!("   {} — {}: {} per {}", t.service, t.component, rub(t.rate), t.unit));
    }
    for n in &b.reference.norms {
        out.push(format!("   {} — {}: {} {}", n.service, n.what, n.value, n.unit));
    }
    out.push("5. Instalments".to_owned());
    for i in &b.instalments {
        out.push(format!(
            "   {}: {} this period, interest {}, remaining {}",
            i.service,
            rub(i.amount),
            rub(i.interest),
            rub(i.remaining)
        ));
    }
    if b.instalments.is_empty() {
        out.push("   none".to_owned());
    }
    out.push("6. Recalculations".to_owned());
    for r in &b.recalculations {
        out.push(format!("   {}: {} — {}", r.service, signed(r.amount), r.reason));
    }
    if b.recalculations.is_empty() {
        out.push("   none".to_owned());
    }
    if !v.adds_up {
        out.push("WARNING: this bill's figures do not add up; ask the provider".to_owned());
    }
    out.join("\n")
}

/// CSV of the months, or with a period of each bill's charge lines. Amounts in roubles.
pub fn csv(all: &[AccountBills], lines: bool) -> Result<String, CoreError> {
    let mut w = ::csv::Writer::from_writer(Vec::new());
    let fail = |e: ::csv::Error| CoreError::io(format!("cannot write CSV: {e}"));
    if lines {
        w.write_record([
            "account",
            "period",
            "service",
            "unit",
            "volume",
            "volume_method",
            "common_volume",
            "common_method",
            "rate",
            "accrued",
            "recalculation",
            "discount",
            "payable",
        ])
        .map_err(fail)?;
        for a in all {
            for v in &a.bills {
                for l in &v.bill.charges {
                    w.write_record([
                        a.account.number.as_str(),
                        &v.bill.period,
                        &l.service,
                        &l.unit,
                        &l.volume,
                        l.volume_method.as_str(),
                        &l.common_volume,
                        l.common_method.as_str(),
                        &rub(l.rate),
                        &rub(l.accrued),
                        &rub(l.recalculation),
                        &rub(l.discount),
                        &rub(l.payable),
                    ])
                    .map_err(fail)?;
                }
            }
        }
    } else {
        w.write_record(["account", "period", "total", "change", "charges", "debt", "paid", "penalties"])
            .map_err(fail)?;
        for a in all {
            for v in &a.bills {
                let b = &v.bill;
                w.write_record([
                    a.account.number.as_str(),
                    &b.period,
                    &rub(b.total),
                    &v.change.map(rub).unwrap_or_default(),
                    &rub(v.charges),
                    &rub(b.debt),
                    &rub(b.paid),
                    &rub(b.penalties),
                ])
                .map_err(fail)?;
            }
        }
    }
    let bytes = w.into_inner().map_err(|e| CoreError::io(format!("cannot write CSV: {e}")))?;
    String::from_utf8(bytes).map_err(|e| CoreError::io(format!("cannot write CSV: {e}")))
}
