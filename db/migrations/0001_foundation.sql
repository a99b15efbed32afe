-- Extensions the schema relies on: exclusion constraints over (uuid, tstzrange) and fuzzy search.
CREATE EXTENSION IF NOT EXISTS btree_gist;
CREATE EXTENSION IF NOT EXISTS pg_trgm;
