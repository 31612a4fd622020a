-- Orleans ADO.NET providers on PostgreSQL: the query table every provider reads at start.
-- Each provider runs only the statements stored here, under fixed keys, with fixed parameter and column names;
-- the other scripts add their tables and statements. Written for Orleans 10.4.2 (see README.md).
CREATE TABLE OrleansQuery
(
    QueryKey  varchar(64)   NOT NULL PRIMARY KEY,
    QueryText varchar(8000) NOT NULL
);
