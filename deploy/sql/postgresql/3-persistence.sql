-- Orleans grain state (Orleans:GrainStorage:<name>:ProviderType=AdoNet) on PostgreSQL, for Orleans 10.4.2.
-- One row per grain and service; the state is the serialized PayloadBinary (Orleans 10 writes no XML or JSON
-- payloads; the columns stay for the read statement's shape). Version is the ETag: a write or clear carrying another version changes nothing and
-- returns the caller's version unchanged, which Orleans reports as an inconsistent state.

CREATE TABLE OrleansStorage
(
    GrainIdHash            integer NOT NULL,
    GrainIdN0              bigint NOT NULL,
    GrainIdN1              bigint NOT NULL,
    GrainTypeHash          integer NOT NULL,
    GrainTypeString        varchar(512) NOT NULL,
    GrainIdExtensionString varchar(512) NULL,
    ServiceId              varchar(150) NOT NULL,
    PayloadBinary          bytea NULL,
    PayloadXml             xml NULL,
    PayloadJson            text NULL,
    ModifiedOn             timestamptz(3) NOT NULL,
    Version                integer NULL
);

-- Also makes two first writes of the same grain collide instead of both inserting.
CREATE UNIQUE INDEX OrleansStorage_Grain ON OrleansStorage
    (GrainIdHash, GrainTypeHash, GrainIdN0, GrainIdN1, ServiceId, GrainTypeString, COALESCE(GrainIdExtensionString, ''));

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES
('ReadFromStorageKey', '
    SELECT PayloadBinary, PayloadXml, PayloadJson, now(), Version
    FROM OrleansStorage
    WHERE GrainIdHash = @GrainIdHash AND GrainTypeHash = @GrainTypeHash
      AND GrainIdN0 = @GrainIdN0 AND GrainIdN1 = @GrainIdN1 AND ServiceId = @ServiceId
      AND GrainTypeString = @GrainTypeString
      AND GrainIdExtensionString IS NOT DISTINCT FROM @GrainIdExtensionString;'),

('WriteToStorageKey', '
    WITH updated AS (
        UPDATE OrleansStorage
        SET PayloadBinary = @PayloadBinary, PayloadJson = NULL, PayloadXml = NULL,
            ModifiedOn = now(), Version = Version + 1
        WHERE Version = CAST(@GrainStateVersion AS integer)
          AND GrainIdHash = @GrainIdHash AND GrainTypeHash = @GrainTypeHash
          AND GrainIdN0 = @GrainIdN0 AND GrainIdN1 = @GrainIdN1 AND ServiceId = @ServiceId
          AND GrainTypeString = @GrainTypeString
          AND GrainIdExtensionString IS NOT DISTINCT FROM @GrainIdExtensionString
        RETURNING Version),
    inserted AS (
        INSERT INTO OrleansStorage
            (GrainIdHash, GrainIdN0, GrainIdN1, GrainTypeHash, GrainTypeString, GrainIdExtensionString, ServiceId,
             PayloadBinary, PayloadJson, PayloadXml, ModifiedOn, Version)
        SELECT CAST(@GrainIdHash AS integer), CAST(@GrainIdN0 AS bigint), CAST(@GrainIdN1 AS bigint), CAST(@GrainTypeHash AS integer),
               CAST(@GrainTypeString AS varchar), CAST(@GrainIdExtensionString AS varchar), CAST(@ServiceId AS varchar),
               CAST(@PayloadBinary AS bytea), NULL, NULL, now(), 1
        WHERE CAST(@GrainStateVersion AS integer) IS NULL
        ON CONFLICT DO NOTHING
        RETURNING Version)
    SELECT COALESCE((SELECT Version FROM updated), (SELECT Version FROM inserted), CAST(@GrainStateVersion AS integer)) AS NewGrainStateVersion;'),

('ClearStorageKey', '
    UPDATE OrleansStorage
    SET PayloadBinary = NULL, PayloadJson = NULL, PayloadXml = NULL, ModifiedOn = now(), Version = Version + 1
    WHERE Version = @GrainStateVersion
      AND GrainIdHash = @GrainIdHash AND GrainTypeHash = @GrainTypeHash
      AND GrainIdN0 = @GrainIdN0 AND GrainIdN1 = @GrainIdN1 AND ServiceId = @ServiceId
      AND GrainTypeString = @GrainTypeString
      AND GrainIdExtensionString IS NOT DISTINCT FROM @GrainIdExtensionString
    RETURNING Version AS NewGrainStateVersion;'),

('DeleteStorageKey', '
    DELETE FROM OrleansStorage
    WHERE Version = @GrainStateVersion
      AND GrainIdHash = @GrainIdHash AND GrainTypeHash = @GrainTypeHash
      AND GrainIdN0 = @GrainIdN0 AND GrainIdN1 = @GrainIdN1 AND ServiceId = @ServiceId
      AND GrainTypeString = @GrainTypeString
      AND GrainIdExtensionString IS NOT DISTINCT FROM @GrainIdExtensionString
    RETURNING Version + 1 AS NewGrainStateVersion;');
