-- Orleans reminders (Orleans:Reminders:ProviderType=AdoNet) on PostgreSQL, for Orleans 10.4.2.
-- Scene jobs keep a 1-minute reminder so that a job whose silo died resumes without a client polling it.
-- Version is the reminder's ETag; GrainHash places reminders on the silos' hash ranges.

CREATE TABLE OrleansRemindersTable
(
    ServiceId    varchar(150) NOT NULL,
    GrainId      varchar(150) NOT NULL,
    ReminderName varchar(150) NOT NULL,
    StartTime    timestamptz(3) NOT NULL,
    Period       bigint NOT NULL,
    GrainHash    integer NOT NULL,
    Version      integer NOT NULL,
    PRIMARY KEY (ServiceId, GrainId, ReminderName)
);

CREATE INDEX OrleansRemindersTable_Hash ON OrleansRemindersTable (ServiceId, GrainHash);

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES
('UpsertReminderRowKey', '
    INSERT INTO OrleansRemindersTable (ServiceId, GrainId, ReminderName, StartTime, Period, GrainHash, Version)
    VALUES (@ServiceId, @GrainId, @ReminderName, @StartTime, CAST(@Period AS bigint), @GrainHash, 0)
    ON CONFLICT (ServiceId, GrainId, ReminderName) DO UPDATE
        SET StartTime = excluded.StartTime, Period = excluded.Period, GrainHash = excluded.GrainHash,
            Version = OrleansRemindersTable.Version + 1
    RETURNING Version;'),

('ReadReminderRowsKey', '
    SELECT GrainId, ReminderName, StartTime, Period, Version
    FROM OrleansRemindersTable
    WHERE ServiceId = @ServiceId AND GrainId = @GrainId;'),

('ReadReminderRowKey', '
    SELECT GrainId, ReminderName, StartTime, Period, Version
    FROM OrleansRemindersTable
    WHERE ServiceId = @ServiceId AND GrainId = @GrainId AND ReminderName = @ReminderName;'),

-- A hash range that does not wrap around, (BeginHash, EndHash] ...
('ReadRangeRows1Key', '
    SELECT GrainId, ReminderName, StartTime, Period, Version
    FROM OrleansRemindersTable
    WHERE ServiceId = @ServiceId AND GrainHash > @BeginHash AND GrainHash <= @EndHash;'),

-- ... and one that does.
('ReadRangeRows2Key', '
    SELECT GrainId, ReminderName, StartTime, Period, Version
    FROM OrleansRemindersTable
    WHERE ServiceId = @ServiceId AND (GrainHash > @BeginHash OR GrainHash <= @EndHash);'),

('DeleteReminderRowKey', '
    WITH deleted AS (
        DELETE FROM OrleansRemindersTable
        WHERE ServiceId = @ServiceId AND GrainId = @GrainId AND ReminderName = @ReminderName AND Version = @Version
        RETURNING 1)
    SELECT count(*)::integer FROM deleted;'),

('DeleteReminderRowsKey', '
    DELETE FROM OrleansRemindersTable WHERE ServiceId = @ServiceId;');
