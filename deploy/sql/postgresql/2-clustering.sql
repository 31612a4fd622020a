-- Orleans membership (Orleans:Clustering:ProviderType=AdoNet) on PostgreSQL, for Orleans 10.4.2.
-- A cluster (DeploymentId = ClusterId) has one version row; every change to its silo rows bumps the version in the
-- same statement, and only when the caller saw the current version, which is how Orleans detects concurrent writers.
-- Statements that report success return one integer: above 0 for success.

CREATE TABLE OrleansMembershipVersionTable
(
    DeploymentId varchar(150) NOT NULL PRIMARY KEY,
    Timestamp    timestamptz(3) NOT NULL DEFAULT now(),
    Version      integer NOT NULL DEFAULT 0
);

CREATE TABLE OrleansMembershipTable
(
    DeploymentId varchar(150) NOT NULL REFERENCES OrleansMembershipVersionTable (DeploymentId),
    Address      varchar(45) NOT NULL,
    Port         integer NOT NULL,
    Generation   integer NOT NULL,
    SiloName     varchar(150) NOT NULL,
    HostName     varchar(150) NOT NULL,
    Status       integer NOT NULL,
    ProxyPort    integer NULL,
    SuspectTimes varchar(8000) NULL,
    StartTime    timestamptz(3) NOT NULL,
    IAmAliveTime timestamptz(3) NOT NULL,
    PRIMARY KEY (DeploymentId, Address, Port, Generation)
);

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES
('InsertMembershipVersionKey', '
    WITH inserted AS (
        INSERT INTO OrleansMembershipVersionTable (DeploymentId) VALUES (@DeploymentId)
        ON CONFLICT (DeploymentId) DO NOTHING
        RETURNING 1)
    SELECT count(*)::integer FROM inserted;'),

('InsertMembershipKey', '
    WITH version AS (
        UPDATE OrleansMembershipVersionTable
        SET Version = Version + 1, Timestamp = now()
        WHERE DeploymentId = @DeploymentId AND Version = @Version
          AND NOT EXISTS (SELECT 1 FROM OrleansMembershipTable
                          WHERE DeploymentId = @DeploymentId AND Address = @Address AND Port = @Port AND Generation = @Generation)
        RETURNING DeploymentId),
    inserted AS (
        INSERT INTO OrleansMembershipTable
            (DeploymentId, Address, Port, Generation, SiloName, HostName, Status, ProxyPort, StartTime, IAmAliveTime)
        SELECT DeploymentId, CAST(@Address AS varchar), CAST(@Port AS integer), CAST(@Generation AS integer),
               CAST(@SiloName AS varchar), CAST(@HostName AS varchar), CAST(@Status AS integer), CAST(@ProxyPort AS integer),
               CAST(@StartTime AS timestamptz), CAST(@IAmAliveTime AS timestamptz)
        FROM version
        RETURNING 1)
    SELECT count(*)::integer FROM inserted;'),

('UpdateMembershipKey', '
    WITH version AS (
        UPDATE OrleansMembershipVersionTable
        SET Version = Version + 1, Timestamp = now()
        WHERE DeploymentId = @DeploymentId AND Version = @Version
          AND EXISTS (SELECT 1 FROM OrleansMembershipTable
                      WHERE DeploymentId = @DeploymentId AND Address = @Address AND Port = @Port AND Generation = @Generation)
        RETURNING DeploymentId),
    updated AS (
        UPDATE OrleansMembershipTable
        SET Status = @Status, SuspectTimes = @SuspectTimes, IAmAliveTime = GREATEST(IAmAliveTime, @IAmAliveTime)
        WHERE DeploymentId = @DeploymentId AND Address = @Address AND Port = @Port AND Generation = @Generation
          AND EXISTS (SELECT 1 FROM version)
        RETURNING 1)
    SELECT count(*)::integer FROM updated;'),

('UpdateIAmAlivetimeKey', '
    UPDATE OrleansMembershipTable
    SET IAmAliveTime = GREATEST(IAmAliveTime, @IAmAliveTime)
    WHERE DeploymentId = @DeploymentId AND Address = @Address AND Port = @Port AND Generation = @Generation;'),

('MembershipReadRowKey', '
    SELECT v.DeploymentId, m.Address, m.Port, m.Generation, m.SiloName, m.HostName, m.Status, m.ProxyPort,
           m.SuspectTimes, m.StartTime, m.IAmAliveTime, v.Version
    FROM OrleansMembershipVersionTable v
    LEFT JOIN OrleansMembershipTable m
        ON m.DeploymentId = v.DeploymentId AND m.Address = @Address AND m.Port = @Port AND m.Generation = @Generation
    WHERE v.DeploymentId = @DeploymentId;'),

('MembershipReadAllKey', '
    SELECT v.DeploymentId, m.Address, m.Port, m.Generation, m.SiloName, m.HostName, m.Status, m.ProxyPort,
           m.SuspectTimes, m.StartTime, m.IAmAliveTime, v.Version
    FROM OrleansMembershipVersionTable v
    LEFT JOIN OrleansMembershipTable m ON m.DeploymentId = v.DeploymentId
    WHERE v.DeploymentId = @DeploymentId;'),

('GatewaysQueryKey', '
    SELECT Address, ProxyPort, Generation
    FROM OrleansMembershipTable
    WHERE DeploymentId = @DeploymentId AND Status = @Status AND ProxyPort > 0;'),

('DeleteMembershipTableEntriesKey', '
    DELETE FROM OrleansMembershipTable WHERE DeploymentId = @DeploymentId;
    DELETE FROM OrleansMembershipVersionTable WHERE DeploymentId = @DeploymentId;'),

-- Pruning of silos declared dead (Status 6) that nobody suspects any more.
('CleanupDefunctSiloEntriesKey', '
    DELETE FROM OrleansMembershipTable
    WHERE DeploymentId = @DeploymentId AND Status = 6
      AND IAmAliveTime < @IAmAliveTime AND StartTime < @IAmAliveTime
      AND COALESCE(SuspectTimes, '''') = '''';'),

('CleanupDefunctSiloEntryKey', '
    DELETE FROM OrleansMembershipTable
    WHERE DeploymentId = @DeploymentId AND Status = 6
      AND Address = @Address AND Port = @Port AND Generation = @Generation
      AND IAmAliveTime = @IAmAliveTime AND StartTime = @StartTime
      AND COALESCE(SuspectTimes, '''') = COALESCE(@SuspectTimes, '''');');
