-- Federal default deadlines for tickets (region 'RU'); a region overrides a row by adding
-- its own code. Minutes are counted only between counted_from and counted_to o'clock
-- where those are set.
INSERT INTO deadline_rules (region, category, emergency, minutes, summer_minutes, counted_from, counted_to, basis) VALUES
    ('RU', 'leak',          1,   30, NULL, NULL, NULL, 'Постановление № 416, п. 13: аварийная заявка'),
    ('RU', 'heating',       1,   30, NULL, NULL, NULL, 'Постановление № 416, п. 13: аварийная заявка'),
    ('RU', 'electricity',   1,   30, NULL, NULL, NULL, 'Постановление № 416, п. 13: аварийная заявка'),
    ('RU', 'sewage',        1,   30, NULL, NULL, NULL, 'Постановление № 416, п. 13: аварийная заявка'),
    ('RU', 'sewage',        0,  120, NULL, NULL, NULL, 'Засор канализации: 2 часа'),
    ('RU', 'garbage_chute', 0,  120, NULL,    8,   23, 'Засор мусоропровода: 2 часа с 08:00 до 23:00'),
    ('RU', 'lift',          0, 1440, NULL, NULL, NULL, 'Лифт не работает: 1 сутки'),
    ('RU', 'roof',          0, 1440, NULL, NULL, NULL, 'Протечка кровли: 1 сутки'),
    ('RU', 'leak',          0, 1440, NULL, NULL, NULL, 'Течь крана или бачка: 1 сутки'),
    ('RU', 'door_glass',    0, 1440, 4320, NULL, NULL, 'Стекло: 1 сутки зимой, 3 суток летом; входная дверь: 1 сутки'),
    ('RU', 'cleaning',      0, 4320, NULL, NULL, NULL, 'Уборка: 3 суток'),
    ('RU', 'heating',       0, 1440, NULL, NULL, NULL, 'Неисправность отопления: 1 сутки'),
    ('RU', 'electricity',   0, 1440, NULL, NULL, NULL, 'Неисправность электропроводки: 1 сутки'),
    ('RU', 'other',         0, 7200, NULL, NULL, NULL, 'Прочее: 5 суток');
