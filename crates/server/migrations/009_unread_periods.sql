-- A line billed without a reading says for how many periods in a row none came: the
-- average applies for up to three of them, the norm after (regulation 354, items 59–60).
ALTER TABLE bill_lines ADD COLUMN unread_periods INTEGER NOT NULL DEFAULT 0 CHECK (unread_periods >= 0);

DROP VIEW feed_bill;
CREATE VIEW feed_bill AS
SELECT b.id, 'f' AS scope, a.premises_id AS scope_id,
       json_object(
           'id', b.id, 'account_id', b.account_id, 'period', b.period, 'issued_on', b.issued_on,
           'payer', json(b.payer),
           'provider', json((SELECT oj.doc FROM org_json oj WHERE oj.id = b.org_id)),
           'readings', json(b.readings_json),
           'charges', json((SELECT json_group_array(json_object(
                                'service', l.service, 'unit', l.unit,
                                'volume', l.volume, 'volume_method', l.volume_method,
                                'common_volume', l.common_volume, 'common_method', l.common_method,
                                'rate', l.rate, 'accrued', l.accrued,
                                'recalculation', l.recalculation, 'discount', l.discount,
                                'factor', l.factor, 'payable', l.payable,
                                'unread_periods', l.unread_periods))
                            FROM (SELECT * FROM bill_lines l WHERE l.bill_id = b.id ORDER BY l.id) l)),
           'reference', json(b.reference_json),
           'instalments', json((SELECT json_group_array(json_object(
                                    'service', i.service, 'amount', i.amount,
                                    'interest', i.interest, 'remaining', i.remaining))
                                FROM bill_instalments i WHERE i.bill_id = b.id)),
           'recalculations', json((SELECT json_group_array(json_object(
                                       'service', r.service, 'reason', r.reason, 'amount', r.amount))
                                   FROM bill_recalculations r WHERE r.bill_id = b.id)),
           'debt', b.debt, 'paid', b.paid, 'penalties', b.penalties, 'total', b.total
       ) AS payload
FROM bills b JOIN accounts a ON a.id = b.account_id;
