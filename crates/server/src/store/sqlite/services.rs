//! A premises' services in SQLite: accounts, bills, meters and readings, for its holders.

use rusqlite::params;

use domkom_domain::id::*;
use domkom_domain::wire::{Account, Bill, ChangeKind, Device, Reading};

use super::{SqliteStore, gate, rows, visible};
use crate::store::{Scope, ServicesStore, StoreError, StoreResult, Viewer, What};

impl ServicesStore for SqliteStore {
    fn accounts(&self, viewer: &Viewer) -> StoreResult<Vec<Account>> {
        let c = self.reader()?;
        let mut out = Vec::new();
        for &premises in &viewer.premises {
            out.extend(visible(
                viewer,
                rows(&c, ChangeKind::Account, "scope = 'f' AND scope_id = ?1 ORDER BY id LIMIT 16", [premises])?,
            ));
        }
        Ok(out)
    }

    fn bills(&self, viewer: &Viewer, account: AccountId) -> StoreResult<Vec<Bill>> {
        let c = self.reader()?;
        gate(&c, viewer, "SELECT 'f', premises_id FROM accounts WHERE id = ?1", account, What::Account)?;
        let found = rows(
            &c,
            ChangeKind::Bill,
            "id IN (SELECT id FROM bills WHERE account_id = ?1) ORDER BY id DESC LIMIT 240",
            [account],
        )?;
        Ok(visible(viewer, found))
    }

    fn premises_devices(&self, viewer: &Viewer, premises: PremisesId) -> StoreResult<Vec<Device>> {
        // Only a holder learns whether a premises has meters, or exists at all.
        if !viewer.sees(Scope::Premises(premises)) {
            return Err(StoreError::NotVisible(What::Premises));
        }
        let c = self.reader()?;
        let found = rows(&c, ChangeKind::Device, "scope = 'f' AND scope_id = ?1 ORDER BY id LIMIT 100", [premises])?;
        Ok(visible(viewer, found))
    }

    fn readings(&self, viewer: &Viewer, device: DeviceId) -> StoreResult<Vec<Reading>> {
        let c = self.reader()?;
        gate(
            &c,
            viewer,
            "SELECT iif(premises_id IS NULL, 'h', 'f'), coalesce(premises_id, house_id) FROM devices WHERE id = ?1",
            device,
            What::Device,
        )?;
        let found = rows(
            &c,
            ChangeKind::Reading,
            "id IN (SELECT id FROM readings WHERE device_id = ?1) ORDER BY id DESC LIMIT ?2",
            params![device, 600],
        )?;
        Ok(visible(viewer, found))
    }
}
