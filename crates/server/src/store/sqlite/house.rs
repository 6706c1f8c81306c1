//! Houses in SQLite: passports, premises, tickets, notices, repair plans, collective meters.
//! Everything a house holds is its audience's: the viewer must see the house first.

use rusqlite::{Connection, params};

use domkom_domain::id::*;
use domkom_domain::notice::PostOutage;
use domkom_domain::wire::{ChangeKind, Device, House, Notice, Premises, RepairPlan};

use super::{SqliteStore, gate, one, rows, visible};
use crate::store::{HouseStore, OutageRefusal, Page, Posted, StoreResult, Viewer, What};

/// Checks that a house exists and the viewer sees it.
pub(super) fn house_gate(conn: &Connection, viewer: &Viewer, house: HouseId) -> StoreResult<()> {
    gate(conn, viewer, "SELECT 'h', id FROM houses WHERE id = ?1", house, What::House)
}

/// A list of a house's entities of one kind, by id.
fn of_house<T: serde::de::DeserializeOwned>(
    store: &SqliteStore,
    viewer: &Viewer,
    house: HouseId,
    kind: ChangeKind,
) -> StoreResult<Vec<T>> {
    let c = store.reader()?;
    house_gate(&c, viewer, house)?;
    Ok(visible(viewer, rows(&c, kind, "scope = 'h' AND scope_id = ?1 ORDER BY id LIMIT 1000", [house])?))
}

/// SQLite wants its integers signed; a page is never that long anyway.
pub(super) fn sql_limit(limit: usize) -> i64 {
    i64::try_from(limit).unwrap_or(i64::MAX)
}

impl HouseStore for SqliteStore {
    fn houses(&self, viewer: &Viewer, page: Page) -> StoreResult<Vec<House>> {
        let c = self.reader()?;
        if viewer.is_inspector() {
            let found = rows(
                &c,
                ChangeKind::House,
                "id > ?1 ORDER BY id LIMIT ?2",
                params![page.after, sql_limit(page.limit)],
            )?;
            return Ok(visible(viewer, found));
        }
        let mut out = Vec::new();
        for &id in viewer.houses.range(HouseId(page.after.saturating_add(1))..).take(page.limit) {
            out.extend(visible(viewer, rows(&c, ChangeKind::House, "id = ?1", [id])?));
        }
        Ok(out)
    }

    fn house(&self, viewer: &Viewer, id: HouseId) -> StoreResult<House> {
        one(&*self.reader()?, viewer, ChangeKind::House, id, What::House)
    }

    fn premises(&self, viewer: &Viewer, house: HouseId) -> StoreResult<Vec<Premises>> {
        let c = self.reader()?;
        house_gate(&c, viewer, house)?;
        let mut stmt = c.prepare_cached(
            "SELECT id, number, kind, entrance, floor, total_area, living_area FROM premises WHERE house_id = ?1 ORDER BY id",
        )?;
        let rows = stmt.query_map([house], |r| {
            Ok(Premises {
                id: r.get(0)?,
                number: r.get(1)?,
                kind: r.get(2)?,
                entrance: r.get(3)?,
                floor: r.get(4)?,
                total_area: r.get(5)?,
                living_area: r.get(6)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn notices(&self, viewer: &Viewer, house: HouseId) -> StoreResult<Vec<Notice>> {
        of_house(self, viewer, house, ChangeKind::Notice)
    }

    fn post_outage(&self, viewer: &Viewer, req: &PostOutage) -> Result<Posted, OutageRefusal> {
        super::notices::post_outage(self, viewer, req)
    }

    fn repairs(&self, viewer: &Viewer, house: HouseId) -> StoreResult<Vec<RepairPlan>> {
        of_house(self, viewer, house, ChangeKind::RepairPlan)
    }

    fn house_devices(&self, viewer: &Viewer, house: HouseId) -> StoreResult<Vec<Device>> {
        of_house(self, viewer, house, ChangeKind::Device)
    }
}
