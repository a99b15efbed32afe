-- Tables that only grow, split by month (docs/scaling.md): the audit log and login-code requests.
-- Their queries name a time range (the audit page's newest rows, the rate limits' windows), so
-- Postgres reads only the months asked for, and retention drops a whole month at once instead of
-- deleting row by row. The conversion keeps every column, default, check, index, foreign key and
-- trigger the table has when this runs, whatever earlier migrations added. The primary key gains
-- the month's column (a partitioned table's unique keys must include it); nothing references
-- these tables. A default partition takes rows outside the months created so far;
-- `ensure_month_partitions` (run by the retention job) creates the coming months and moves any
-- such rows into their month.

CREATE FUNCTION ensure_month_partitions(tbl text, first_month date, months int) RETURNS int
LANGUAGE plpgsql AS $$
DECLARE
  col text := (SELECT a.attname FROM pg_partitioned_table p
               JOIN pg_attribute a ON a.attrelid = p.partrelid AND a.attnum = p.partattrs[0]
               WHERE p.partrelid = tbl::regclass);
  month date;
  part text;
  created int := 0;
BEGIN
  FOR i IN 0 .. months - 1 LOOP
    month := date_trunc('month', first_month + make_interval(months => i))::date;
    part := format('%s_p%s', tbl, to_char(month, 'YYYYMM'));
    CONTINUE WHEN to_regclass(part) IS NOT NULL;
    EXECUTE format('CREATE TABLE %I (LIKE %I INCLUDING DEFAULTS INCLUDING CONSTRAINTS)', part, tbl);
    -- Rows that arrived before their month existed wait in the default partition.
    EXECUTE format(
      'WITH moved AS (DELETE FROM %I WHERE %I >= $1 AND %I < $2 RETURNING *) INSERT INTO %I SELECT * FROM moved',
      tbl || '_default', col, col, part
    ) USING month, (month + interval '1 month')::date;
    EXECUTE format('ALTER TABLE %I ATTACH PARTITION %I FOR VALUES FROM (%L) TO (%L)',
      tbl, part, month, (month + interval '1 month')::date);
    created := created + 1;
  END LOOP;
  RETURN created;
END
$$;

CREATE FUNCTION partition_by_month(tbl text, col text) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  old text := tbl || '_unpartitioned';
  pk_columns text;
  indexes text[];
  foreign_keys text[];
  triggers text[];
  statement text;
  first_month date;
BEGIN
  SELECT string_agg(quote_ident(a.attname), ', ' ORDER BY k.ord) INTO pk_columns
  FROM pg_index i CROSS JOIN unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord)
  JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
  WHERE i.indrelid = tbl::regclass AND i.indisprimary;
  SELECT coalesce(array_agg(pg_get_indexdef(i.indexrelid)), '{}') INTO indexes
  FROM pg_index i WHERE i.indrelid = tbl::regclass AND NOT i.indisprimary
    AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid);
  SELECT coalesce(array_agg(format('ALTER TABLE %I ADD CONSTRAINT %I %s', tbl, conname,
           pg_get_constraintdef(oid))), '{}') INTO foreign_keys
  FROM pg_constraint WHERE conrelid = tbl::regclass AND contype IN ('f', 'u', 'x');
  SELECT coalesce(array_agg(pg_get_triggerdef(oid)), '{}') INTO triggers
  FROM pg_trigger WHERE tgrelid = tbl::regclass AND NOT tgisinternal;

  EXECUTE format('ALTER TABLE %I RENAME TO %I', tbl, old);
  EXECUTE format(
    'CREATE TABLE %I (LIKE %I INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING GENERATED INCLUDING IDENTITY INCLUDING STORAGE INCLUDING COMMENTS) PARTITION BY RANGE (%I)',
    tbl, old, col);
  EXECUTE format('CREATE TABLE %I PARTITION OF %I DEFAULT', tbl || '_default', tbl);
  -- A month for every month that has rows, from the oldest, up to two months ahead.
  EXECUTE format('SELECT date_trunc(''month'', least(min(%I), now() - interval ''1 month''))::date FROM %I',
    col, old) INTO first_month;
  PERFORM ensure_month_partitions(tbl, first_month,
    ((extract(year FROM now()) - extract(year FROM first_month)) * 12
      + extract(month FROM now()) - extract(month FROM first_month))::int + 3);
  EXECUTE format('INSERT INTO %I SELECT * FROM %I', tbl, old);
  EXECUTE format('DROP TABLE %I', old);
  EXECUTE format('ALTER TABLE %I ADD CONSTRAINT %I PRIMARY KEY (%s, %I)', tbl, tbl || '_pkey',
    pk_columns, col);
  -- Read before the rename, so they name the new table.
  FOREACH statement IN ARRAY indexes || foreign_keys || triggers LOOP
    EXECUTE statement;
  END LOOP;
END
$$;

SELECT partition_by_month('audit_log', 'at');
SELECT partition_by_month('otp_requests', 'created_at');
