//! Meters, readings and unified payment documents (ЕПД) of the demo flats: two years of
//! monthly readings with a couple of months missed (charged by the average), and the bills
//! computed from them with Kazan's 2024–2026 rates, so every figure adds up.

use chrono::{Datelike, Duration, NaiveDate};
use domkom_domain::Kopecks;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use rusqlite::{CachedStatement, Transaction, params};
use serde_json::json;

use super::plan::{DEMO_HOUSE, Plan};
use super::registry::{BilledFlat, Registry};
use super::util::{date, date_between, day, dec, now, period, pick, scramble, ts};

/// The billed months: November 2024 to October 2026.
const MONTHS: usize = 24;

fn months() -> Vec<(i32, u32)> {
    (0..MONTHS as u32).map(|k| (2024 + ((10 + k) / 12) as i32, (10 + k) % 12 + 1)).collect()
}

/// Tariff periods: rates change on 1 July 2025, 1 January 2026 (VAT) and 1 October 2026.
fn phase(y: i32, m: u32) -> usize {
    if (y, m) < (2025, 7) {
        0
    } else if y == 2025 {
        1
    } else if m < 10 {
        2
    } else {
        3
    }
}

/// Kopecks per unit in each tariff period.
const COLD: [i64; 4] = [3381, 3786, 3850, 4231];
const SEWAGE: [i64; 4] = [2704, 3028, 3079, 3384];
const HEAT: [i64; 4] = [234_377, 262_498, 266_960, 293_389];
const EL_DAY: [i64; 4] = [594, 663, 674, 742];
const EL_NIGHT: [i64; 4] = [308, 344, 350, 385];
const WASTE: [i64; 4] = [11_387, 12_753, 12_970, 14_254];
/// Consumption norms of Tatarstan, thousandths of m³ a person a month.
const COLD_NORM_MILLI: i64 = 4_420;
const HOT_NORM_MILLI: i64 = 2_870;
/// Periods in a row billed by the average before the norm applies (regulation 354, item 60).
const AVERAGE_PERIODS: usize = 3;
/// Heat to warm a cubic metre of hot water, thousandths of a Gcal.
const HOT_HEAT_MILLI: i64 = 60;

fn hot_rate(p: usize) -> i64 {
    COLD[p] + Kopecks(HEAT[p]).times_milli(HOT_HEAT_MILLI).0
}

fn maintenance_rate(y: i32, m: u32) -> i64 {
    if (y, m) < (2025, 7) {
        2460
    } else if (y, m) < (2026, 7) {
        2690
    } else {
        2870
    }
}

fn capital_rate(y: i32) -> i64 {
    match y {
        2024 => 1190,
        2025 => 1270,
        _ => 1360,
    }
}

/// Heat for a square metre in a month, millionths of a Gcal (zero outside the season).
fn heating_coef(m: u32) -> i64 {
    match m {
        1 => 28_000,
        2 => 25_000,
        3 => 20_000,
        4 => 11_000,
        10 => 9_000,
        11 => 17_000,
        12 => 24_000,
        _ => 0,
    }
}

/// A quantity as a decimal string of thousandths and its method.
#[derive(Debug, Clone, Copy)]
struct Volume {
    milli: i64,
    method: &'static str,
    /// Periods in a row without a reading, this one included.
    unread: usize,
}

/// A meter's consumption history and what was billed from it.
struct Series {
    serial: String,
    resource: &'static str,
    zones: usize,
    /// Cumulative reading after each month, per zone.
    values: Vec<[i64; 2]>,
    /// Billed volume per month, per zone.
    billed: Vec<[Volume; 2]>,
}

struct Statements<'c> {
    device: CachedStatement<'c>,
    reading: CachedStatement<'c>,
    bill: CachedStatement<'c>,
    line: CachedStatement<'c>,
    instalment: CachedStatement<'c>,
    recalculation: CachedStatement<'c>,
}

/// Writes meters, readings and bills of the demo flats, and the demo house's collective meter.
pub(super) fn write(tx: &Transaction<'_>, plan: &Plan, reg: &Registry) -> anyhow::Result<()> {
    let mut st = Statements {
        device: tx.prepare_cached(
            "INSERT INTO devices (id, house_id, premises_id, serial, model, resource, kind, zones, installed_on, \
             commissioned_on, verified_on, verification_years, seal) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
        )?,
        reading: tx.prepare_cached(
            "INSERT INTO readings (device_id, period, taken_on, t1, t2, source, entered_at) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        )?,
        bill: tx.prepare_cached(
            "INSERT INTO bills (id, account_id, org_id, period, payer, readings_json, reference_json, debt, paid, \
             penalties, total, issued_on) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
        )?,
        line: tx.prepare_cached(
            "INSERT INTO bill_lines (bill_id, service, unit, volume, volume_method, common_volume, common_method, \
             rate, accrued, recalculation, discount, factor, payable, unread_periods) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, '1', ?12, ?13)",
        )?,
        instalment: tx.prepare_cached(
            "INSERT INTO bill_instalments (bill_id, service, amount, interest, remaining) VALUES (?1, ?2, ?3, ?4, ?5)",
        )?,
        recalculation: tx.prepare_cached(
            "INSERT INTO bill_recalculations (bill_id, service, reason, amount) VALUES (?1, ?2, ?3, ?4)",
        )?,
    };
    let mut rng = StdRng::seed_from_u64(0x6269_6C6C);
    let mut next_device = 1;
    let mut next_bill = 1;
    let odpu = collective_meter(&mut st, &mut rng, plan, &mut next_device)?;
    for flat in &reg.billed {
        let devices = flat_meters(&mut st, &mut rng, plan, flat, &mut next_device)?;
        flat_bills(&mut st, &mut rng, plan, flat, &devices, &odpu, &mut next_bill)?;
    }
    Ok(())
}

/// The demo house's collective cold-water meter (ОДПУ) and its monthly readings; returns the
/// house's monthly consumption, thousandths of m³.
fn collective_meter(
    st: &mut Statements<'_>,
    rng: &mut StdRng,
    plan: &Plan,
    next: &mut i64,
) -> anyhow::Result<Vec<i64>> {
    let id = *next;
    *next += 1;
    let house_id = DEMO_HOUSE as i64 + 1;
    st.device.execute(params![
        id,
        house_id,
        None::<i64>,
        "0418827",
        "ВСХНд-50 (общедомовой узел учёта)",
        "cold_water",
        "collective",
        1,
        "2015-08-10",
        "2015-08-20",
        "2021-08-16",
        6,
        "ВК 0031187"
    ])?;
    let flats = i64::from(plan.houses[DEMO_HOUSE].flats());
    let mut value: i64 = 154_321_000;
    let mut used = Vec::with_capacity(MONTHS);
    for (y, m) in months() {
        let u = flats * rng.random_range(3_300..3_900);
        value += u;
        used.push(u);
        let taken = date(y, m, 25);
        st.reading.execute(params![
            id,
            period(y, m),
            day(taken),
            dec(value, 3),
            None::<String>,
            "remote",
            ts(taken.and_hms_opt(6, 0, 0).unwrap_or_default())
        ])?;
    }
    Ok(used)
}

/// A flat's three meters with two years of readings (two months missed).
fn flat_meters(
    st: &mut Statements<'_>,
    rng: &mut StdRng,
    plan: &Plan,
    flat: &BilledFlat,
    next: &mut i64,
) -> anyhow::Result<Vec<Series>> {
    let h = &plan.houses[flat.house];
    let persons = flat.registered.max(1);
    // Two months without a reading, never adjacent and not at the edges; the chair's flat
    // also missed its water readings from January to April 2026, so its April is on the norm.
    let first_gap = rng.random_range(3..11);
    let second_gap = rng.random_range(13..22);
    let long_gap = flat.key == "chair";
    let missing_for = |resource: &str, k: usize| {
        k == first_gap || k == second_gap || (long_gap && resource != "electricity" && (14..=17).contains(&k))
    };
    let water_installed = date_between(rng, date(2021, 2, 1), date(2022, 10, 31));
    let power_installed = date_between(rng, date(2019, 3, 1), date(2020, 12, 20));
    let kinds: [(&str, &[&str], NaiveDate, i64, usize); 3] = [
        ("cold_water", &["СХВ-15 «Бетар»", "Пульсар Ду15 ХВС", "ВСКМ 90-15"], water_installed, 6, 1),
        ("hot_water", &["СГВ-15 «Бетар»", "Пульсар Ду15 ГВС", "ВСГд-15"], water_installed, 6, 1),
        ("electricity", &["Меркурий 200.02", "Нева МТ 114 AS OP"], power_installed, 16, 2),
    ];
    let mut out = Vec::new();
    for (resource, models, installed, years, zones) in kinds {
        let missing = |k: usize| missing_for(resource, k);
        let id = *next;
        *next += 1;
        let serial = if resource == "electricity" {
            format!("{:08}", 40_000_000 + scramble(id as u64 * 31 + flat.premises as u64, 22))
        } else {
            format!("{:02}-{:06}", installed.year() % 100, scramble(id as u64 * 31 + flat.premises as u64, 19))
        };
        let commissioned = installed + Duration::days(rng.random_range(2..8));
        st.device.execute(params![
            id,
            flat.house as i64 + 1,
            flat.premises,
            serial,
            pick(rng, models),
            resource,
            "apartment",
            zones as i64,
            day(installed),
            day(commissioned),
            day(installed),
            years,
            format!("{:07}", scramble(id as u64 + 977, 23))
        ])?;
        let mut value: [i64; 2] = match resource {
            "cold_water" => [rng.random_range(60_000..400_000), 0],
            "hot_water" => [rng.random_range(40_000..250_000), 0],
            _ => [rng.random_range(30_000..150_000) * 100, rng.random_range(10_000..60_000) * 100],
        };
        let start = value;
        let mut values = Vec::with_capacity(MONTHS);
        for (k, (y, m)) in months().into_iter().enumerate() {
            let summer = (6..=8).contains(&m);
            let winter = m <= 2 || m == 12;
            let used: [i64; 2] = match resource {
                "cold_water" => [persons * rng.random_range(2_100..3_000) * if summer { 112 } else { 100 } / 100, 0],
                "hot_water" => [persons * rng.random_range(1_300..1_900) * if summer { 90 } else { 100 } / 100, 0],
                _ => {
                    let day_kwh =
                        (70 + 45 * persons) * rng.random_range(85..115) / 100 * if winter { 115 } else { 100 } / 100;
                    [day_kwh * 1000 + rng.random_range(0..10) * 100, day_kwh * 420 / 1000 * 1000]
                }
            };
            value[0] += used[0];
            value[1] += used[1];
            values.push(value);
            if missing(k) {
                continue;
            }
            let (from, to) = (h.window.0.max(15) as u32, h.window.1.min(25) as u32);
            let taken = date(y, m, rng.random_range(from..=to.max(from)));
            let entered = taken.and_hms_opt(rng.random_range(8..23), rng.random_range(0..60), 0).unwrap_or_default();
            let (t1, t2) =
                if zones == 2 { (dec(value[0], 1), Some(dec(value[1], 1))) } else { (dec(value[0], 3), None) };
            let source = if resource == "electricity" && rng.random_bool(0.3) { "remote" } else { "resident" };
            st.reading.execute(params![id, period(y, m), day(taken), t1, t2, source, ts(entered)])?;
        }
        let norm = match resource {
            "cold_water" => persons * COLD_NORM_MILLI,
            "hot_water" => persons * HOT_NORM_MILLI,
            _ => 0,
        };
        let billed = bill_volumes(start, &values, zones, &missing, resource == "electricity", norm);
        out.push(Series { serial, resource, zones, values, billed });
    }
    Ok(out)
}

/// Volumes billed from a meter (regulation 354, items 59–61): by the meter when read; when
/// not, by the average of the last (up to) six metered months for up to three periods in a
/// row, then by the norm. What was charged without a reading is taken back from the next
/// reading's consumption, carried on if that is smaller.
fn bill_volumes(
    start: [i64; 2],
    values: &[[i64; 2]],
    zones: usize,
    missing: &dyn Fn(usize) -> bool,
    tenths: bool,
    norm: i64,
) -> Vec<[Volume; 2]> {
    let mut out = Vec::with_capacity(values.len());
    let mut last = start;
    let mut charged = [0i64; 2];
    let mut unread = 0;
    let mut history: [Vec<i64>; 2] = [Vec::new(), Vec::new()];
    for (k, value) in values.iter().enumerate() {
        let mut row = [Volume { milli: 0, method: "none", unread: 0 }; 2];
        let months_since_read = unread + 1;
        unread = if missing(k) { unread + 1 } else { 0 };
        for z in 0..zones {
            row[z] = if unread == 0 {
                let used = value[z] - last[z];
                let v = (used - charged[z]).max(0);
                charged[z] = (charged[z] - used).max(0);
                last[z] = value[z];
                let monthly = used / months_since_read as i64;
                history[z].extend(std::iter::repeat_n(monthly, months_since_read));
                Volume { milli: v, method: "meter", unread: 0 }
            } else if unread <= AVERAGE_PERIODS || norm == 0 {
                let recent = &history[z][history[z].len().saturating_sub(6)..];
                let avg = recent.iter().sum::<i64>() / recent.len().max(1) as i64;
                let avg = if tenths { avg / 100 * 100 } else { avg };
                charged[z] += avg;
                Volume { milli: avg, method: "average", unread }
            } else {
                charged[z] += norm;
                Volume { milli: norm, method: "norm", unread }
            };
        }
        out.push(row);
    }
    out
}

/// One charge line before it is written.
struct Line {
    service: &'static str,
    unit: &'static str,
    volume: String,
    method: &'static str,
    common: String,
    common_method: &'static str,
    unread: usize,
    rate: i64,
    accrued: i64,
    recalculation: i64,
}

fn line(service: &'static str, unit: &'static str, volume: Volume, places: u32, common: Volume, rate: i64) -> Line {
    Line {
        service,
        unit,
        volume: dec(volume.milli, places),
        method: volume.method,
        common: dec(common.milli, places),
        common_method: common.method,
        unread: volume.unread,
        rate,
        accrued: Kopecks(rate).times_milli(volume.milli + common.milli).0,
        recalculation: 0,
    }
}

/// Twenty-four monthly bills of one flat; totals carry debts and payments from month to month.
fn flat_bills(
    st: &mut Statements<'_>,
    rng: &mut StdRng,
    plan: &Plan,
    flat: &BilledFlat,
    devices: &[Series],
    odpu: &[i64],
    next: &mut i64,
) -> anyhow::Result<()> {
    let h = &plan.houses[flat.house];
    let org = h.mgmt.org.map(|o| o as i64 + 1);
    let metered_house = flat.house == DEMO_HOUSE;
    let area = Volume { milli: flat.total_area * 10, method: "area", unread: 0 };
    let none = Volume { milli: 0, method: "none", unread: 0 };
    let find = |r: &str| devices.iter().find(|d| d.resource == r);
    let (Some(cold), Some(hot), Some(power)) = (find("cold_water"), find("hot_water"), find("electricity")) else {
        return Ok(());
    };
    let payer = json!({
        "name": flat.owner,
        "address": format!("{}, кв. {}", h.address(), flat.flat),
        "account": flat.number,
        "els": flat.els,
        "persons_registered": flat.registered,
        "total_area": flat.total_area,
        "living_area": flat.living_area,
    })
    .to_string();
    let mut previous_total = 0i64;
    let mut unpaid = 0;
    for (k, (y, m)) in months().into_iter().enumerate() {
        let p = phase(y, m);
        // Common-property use: the demo house splits its ОДПУ's surplus by area, others use the norm.
        let cold_common = if metered_house {
            let per_m2 = 2_000 + (scramble(k as u64 + 7, 16) % 4_000) as i64;
            Volume { milli: flat.total_area * per_m2 / 100_000, method: "meter", unread: 0 }
        } else {
            Volume { milli: flat.total_area * 4_500 / 100_000, method: "norm", unread: 0 }
        };
        let hot_common = Volume { milli: flat.total_area * 2_500 / 100_000, method: "norm", unread: 0 };
        let power_common = Volume { milli: flat.total_area * 90_000 / 100_000 / 100 * 100, method: "norm", unread: 0 };
        let c = cold.billed[k][0];
        let w = hot.billed[k][0];
        // Sewage is the water that came in, by the least exact of the two methods.
        let sewage = Volume {
            milli: c.milli + w.milli,
            unread: c.unread.max(w.unread),
            method: ["norm", "average", "meter"]
                .into_iter()
                .find(|m| c.method == *m || w.method == *m)
                .unwrap_or("none"),
        };
        let persons = Volume { milli: flat.registered * 1000, method: "norm", unread: 0 };
        let mut lines = vec![
            line("Содержание жилого помещения", "м²", area, 2, none, maintenance_rate(y, m)),
            line("Холодное водоснабжение", "м³", c, 3, cold_common, COLD[p]),
            line("Горячее водоснабжение", "м³", w, 3, hot_common, hot_rate(p)),
            line("Водоотведение", "м³", sewage, 3, none, SEWAGE[p]),
            line("Электроэнергия (день, Т1)", "кВт·ч", power.billed[k][0], 1, power_common, EL_DAY[p]),
            line("Электроэнергия (ночь, Т2)", "кВт·ч", power.billed[k][1], 1, none, EL_NIGHT[p]),
        ];
        let coef = heating_coef(m);
        if coef > 0 {
            let (coef, method) = if metered_house {
                (coef * (92 + (scramble(k as u64 + 101, 8) % 17) as i64) / 100, "area")
            } else {
                (18_700, "norm")
            };
            let heat = Volume { milli: flat.total_area * coef / 100_000, method, unread: 0 };
            lines.push(line("Отопление", "Гкал", heat, 3, none, HEAT[p]));
        }
        lines.push(line("Обращение с ТКО", "чел.", persons, 0, none, WASTE[p]));
        lines.push(line("Взнос на капитальный ремонт", "м²", area, 2, none, capital_rate(y)));

        let mut recalculations: Vec<(&'static str, String, i64)> = Vec::new();
        let accrued_of =
            |lines: &[Line], service: &str| lines.iter().find(|l| l.service == service).map_or(0, |l| l.accrued);
        match (y, m) {
            (2025, 7) => recalculations.push((
                "Горячее водоснабжение",
                "Перерасчёт за период отсутствия ГВС 07.07–14.07".to_owned(),
                -accrued_of(&lines, "Горячее водоснабжение") * 8 / 31,
            )),
            (2026, 7) => recalculations.push((
                "Горячее водоснабжение",
                "Перерасчёт за период отсутствия ГВС 12.07–19.07".to_owned(),
                -accrued_of(&lines, "Горячее водоснабжение") * 8 / 31,
            )),
            (2026, 3) if flat.key == "resident" => recalculations.push((
                "Содержание жилого помещения",
                "Перерасчёт за некачественную уборку подъезда (акт от 12.02.2026)".to_owned(),
                -accrued_of(&lines, "Содержание жилого помещения") / 10,
            )),
            (2025, 5) if flat.key == "chair" => recalculations.push((
                "Холодное водоснабжение",
                "Доначисление по акту проверки показаний ИПУ от 14.04.2025".to_owned(),
                3520,
            )),
            _ => {}
        }
        for l in &mut lines {
            l.recalculation = recalculations.iter().filter(|r| r.0 == l.service).map(|r| r.2).sum();
        }
        let payable: i64 = lines.iter().map(|l| l.accrued + l.recalculation).sum();

        // Payments: most pay the last bill in full; some round up, some skip a month.
        let debt = previous_total;
        let roll: f64 = rng.random();
        let skips = (flat.key == "not-joined" && roll < 0.25) || (flat.key != "resident" && roll < 0.06);
        let paid = if k == 0 || debt <= 0 || skips {
            0
        } else if roll < 0.2 {
            (debt + 9_999) / 10_000 * 10_000
        } else {
            debt
        };
        unpaid = if paid == 0 && debt > 0 { unpaid + 1 } else { 0 };
        // Penalties: 1/300 of the key rate (21%) a day, from the second month overdue.
        let penalties = if unpaid >= 2 { debt * 21 / 1000 } else { 0 };
        let total = payable + debt - paid + penalties;
        previous_total = total;

        let readings: Vec<serde_json::Value> = devices
            .iter()
            .filter(|d| d.billed[k][0].method == "meter")
            .map(|d| {
                let places = if d.zones == 2 { 1 } else { 3 };
                json!({
                    "serial": d.serial,
                    "resource": d.resource,
                    "period": period(y, m),
                    "t1": dec(d.values[k][0], places),
                    "t2": (d.zones == 2).then(|| dec(d.values[k][1], places)),
                })
            })
            .collect();
        let reference = json!({
            "tariffs": [
                {"service": "Холодное водоснабжение", "component": "холодная вода", "unit": "м³", "rate": COLD[p]},
                {"service": "Горячее водоснабжение", "component": "теплоноситель", "unit": "м³", "rate": COLD[p]},
                {"service": "Горячее водоснабжение", "component": "тепловая энергия на подогрев", "unit": "Гкал", "rate": HEAT[p]},
                {"service": "Отопление", "component": "тепловая энергия", "unit": "Гкал", "rate": HEAT[p]},
                {"service": "Водоотведение", "component": "водоотведение", "unit": "м³", "rate": SEWAGE[p]},
                {"service": "Электроэнергия", "component": "день (Т1)", "unit": "кВт·ч", "rate": EL_DAY[p]},
                {"service": "Электроэнергия", "component": "ночь (Т2)", "unit": "кВт·ч", "rate": EL_NIGHT[p]},
                {"service": "Обращение с ТКО", "component": "единый тариф регионального оператора", "unit": "чел.", "rate": WASTE[p]},
            ],
            "norms": [
                {"service": "Горячее водоснабжение", "what": "расход тепловой энергии на подогрев", "value": "0.060", "unit": "Гкал/м³"},
                {"service": "Холодное водоснабжение", "what": "норматив потребления", "value": "4.420", "unit": "м³/чел. в месяц"},
                {"service": "Горячее водоснабжение", "what": "норматив потребления", "value": "2.870", "unit": "м³/чел. в месяц"},
                {"service": "Холодное водоснабжение", "what": "норматив на содержание общего имущества", "value": "0.045", "unit": "м³/м²"},
                {"service": "Электроэнергия", "what": "норматив на содержание общего имущества", "value": "0.900", "unit": "кВт·ч/м²"},
                {"service": "Отопление", "what": "норматив потребления", "value": "0.0187", "unit": "Гкал/м² в месяц"},
                {"service": "Обращение с ТКО", "what": "норматив накопления", "value": "2.230", "unit": "м³/чел. в год"},
            ],
            "collective_cold_water": if metered_house { Some(dec(odpu[k], 3)) } else { None },
        })
        .to_string();

        let id = *next;
        *next += 1;
        let issued = if m == 12 { date(y + 1, 1, 1) } else { date(y, m + 1, 1) };
        st.bill.execute(params![
            id,
            flat.account,
            org,
            period(y, m),
            payer,
            serde_json::Value::Array(readings).to_string(),
            reference,
            debt,
            paid,
            penalties,
            total,
            day(issued.min(now().date()))
        ])?;
        for l in &lines {
            st.line.execute(params![
                id,
                l.service,
                l.unit,
                l.volume,
                l.method,
                l.common,
                l.common_method,
                l.rate,
                l.accrued,
                l.recalculation,
                0,
                l.accrued + l.recalculation,
                l.unread as i64
            ])?;
        }
        for (service, reason, amount) in &recalculations {
            st.recalculation.execute(params![id, service, reason, amount])?;
        }
        if (y, m) == (2026, 2) && flat.key == "resident" {
            let heating = accrued_of(&lines, "Отопление");
            let amount = heating / 3;
            st.instalment.execute(params![id, "Отопление", amount, amount * 8 / 1000, amount * 2])?;
        }
    }
    Ok(())
}
