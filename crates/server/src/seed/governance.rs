//! The Inspection's queue from the start: an open application for every house chat whose
//! admin rights are pending. The managing organisation's dispatcher sent its data; a house
//! under direct management (or a ТСЖ without staff in the data) applies through its chair or
//! the first member who joined.

use rusqlite::Transaction;

/// Writes the open applications.
pub(super) fn write(tx: &Transaction<'_>) -> anyhow::Result<usize> {
    Ok(tx.execute(
        "INSERT INTO admin_applications (community_id, org_id, applicant_id, details, at) \
         SELECT c.id, mp.org_id, \
           coalesce((SELECT p.id FROM persons p WHERE p.org_id = mp.org_id AND p.staff_role = 'dispatcher' \
                     ORDER BY p.id LIMIT 1), \
                    (SELECT m.person_id FROM memberships m WHERE m.community_id = c.id AND m.left_at IS NULL \
                     AND m.role IN ('chair', 'resident') ORDER BY m.role = 'chair' DESC, m.id LIMIT 1)), \
           CASE WHEN o.id IS NULL \
             THEN 'Дом в непосредственном управлении: собственники просят назначить модератором чата старшего по дому.' \
             ELSE o.name || ' (ОГРН ' || o.ogrn || ', ИНН ' || o.inn || ') направляет данные для прав администратора чата. ' \
                  || 'Модератор — председатель или диспетчер организации; аварийно-диспетчерская служба: ' || o.dispatch_phone || '.' \
           END, \
           strftime('%Y-%m-%dT%H:%M:%S+03:00', c.created_at, '+14 days') \
         FROM communities c \
         JOIN management_periods mp ON mp.house_id = c.house_id AND mp.to_date IS NULL \
         LEFT JOIN orgs o ON o.id = mp.org_id \
         WHERE c.kind = 'house_chat' AND c.admin_status = 'pending' ORDER BY c.id",
        [],
    )?)
}
