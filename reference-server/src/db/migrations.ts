import type { Database, DatabaseLayout, Queryable } from './database.js';

/** A numbered, append-only schema change; never edited once released, only followed by another. */
interface Migration {
  readonly version: number;
  readonly description: string;
  statements(layout: DatabaseLayout): string[];
}

/**
 * Settings a request transaction sets (user-scope.ts) and the policies read. `current_setting(name,
 * true)` is NULL before a session ever set it and '' after a transaction that set it locally ended:
 * both must mean "nobody", hence NULLIF.
 */
export const USER_ID_SETTING = 'app.user_id';
export const SPACE_IDS_SETTING = 'app.space_ids';

const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'change log, push ids, record spaces, row-level security',
    statements: ({ schema: s, appRole }) => [
      // Appendix C: seq orders the changes of one transaction, txid orders transactions; readers only
      // return transactions older than the snapshot's xmin (change-log.ts), so late commits are never skipped.
      `CREATE TABLE ${s}.sync_changes (
         seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
         txid xid8 NOT NULL DEFAULT pg_current_xact_id(),
         app_id text NOT NULL,
         table_name text NOT NULL,
         record_id text NOT NULL,
         user_id text NOT NULL,
         client_id text NOT NULL,
         space_id text NOT NULL,
         op text NOT NULL CHECK (op IN ('insert', 'update', 'delete')),
         fields jsonb NOT NULL,
         data jsonb,
         deleted_at text,
         actor jsonb,
         origin text,
         schema_version integer NOT NULL,
         server_at timestamptz NOT NULL,
         push_id text
       )`,
      `CREATE INDEX sync_changes_app_position ON ${s}.sync_changes (app_id, txid, seq)`,
      `CREATE INDEX sync_changes_app_table_position ON ${s}.sync_changes (app_id, table_name, txid, seq)`,
      `CREATE INDEX sync_changes_app_server_at ON ${s}.sync_changes (app_id, server_at)`,
      // PUSH-8, PUSH-9: one row per remembered push id of a (user, client).
      `CREATE TABLE ${s}.push_ids (
         user_id text NOT NULL,
         client_id text NOT NULL,
         push_id text NOT NULL,
         content_hash text NOT NULL,
         accepted integer NOT NULL,
         created_at timestamptz NOT NULL DEFAULT now(),
         PRIMARY KEY (user_id, client_id, push_id)
       )`,
      // SPACE-5: the space of every record, fixed by its first stored change. The application role has
      // no privilege on it: it reads and claims through the SECURITY DEFINER functions below, which
      // tell a space apart without exposing other users' change rows. No row-level security here,
      // since FORCE would bind those functions too when the owner is not a superuser.
      `CREATE TABLE ${s}.record_spaces (
         app_id text NOT NULL,
         table_name text NOT NULL,
         record_id text NOT NULL,
         space_id text NOT NULL,
         PRIMARY KEY (app_id, table_name, record_id)
       )`,
      `CREATE FUNCTION ${s}.request_user_id() RETURNS text LANGUAGE sql STABLE
         AS $$ SELECT NULLIF(current_setting('${USER_ID_SETTING}', true), '') $$`,
      `CREATE FUNCTION ${s}.request_space_ids() RETURNS text[] LANGUAGE sql STABLE
         AS $$ SELECT ARRAY(SELECT jsonb_array_elements_text(COALESCE(NULLIF(current_setting('${SPACE_IDS_SETTING}', true), ''), '[]')::jsonb)) $$`,
      `CREATE FUNCTION ${s}.record_spaces_of(p_app text, p_tables text[], p_ids text[])
         RETURNS TABLE (r_table text, r_id text, r_space text)
         LANGUAGE sql STABLE SECURITY DEFINER SET search_path = ${s}, pg_temp
         AS $$
           SELECT r.table_name, r.record_id, r.space_id
             FROM record_spaces r
             JOIN unnest(p_tables, p_ids) AS k(t, i) ON r.app_id = p_app AND r.table_name = k.t AND r.record_id = k.i
         $$`,
      // Claims the space of records not yet stored and returns the space each record has now, so that a
      // concurrent push that claimed a record first is seen (its commit is waited for by the insert).
      `CREATE FUNCTION ${s}.claim_record_spaces(p_app text, p_tables text[], p_ids text[], p_spaces text[])
         RETURNS TABLE (r_table text, r_id text, r_space text)
         LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = ${s}, pg_temp
         AS $$
         BEGIN
           -- Defence in depth: the request's settings must allow writing every claimed space (SPACE-3, SPACE-4).
           IF EXISTS (SELECT 1 FROM unnest(p_spaces) AS k(sp)
                       WHERE NOT (k.sp = '_personal:' || request_user_id() OR k.sp = ANY (request_space_ids()))) THEN
             RAISE EXCEPTION 'claim of a space the request may not write' USING ERRCODE = '42501';
           END IF;
           INSERT INTO record_spaces (app_id, table_name, record_id, space_id)
             SELECT p_app, k.t, k.i, k.sp FROM unnest(p_tables, p_ids, p_spaces) AS k(t, i, sp)
             ON CONFLICT DO NOTHING;
           RETURN QUERY SELECT * FROM record_spaces_of(p_app, p_tables, p_ids);
         END
         $$`,
      `REVOKE ALL ON FUNCTION ${s}.record_spaces_of(text, text[], text[]) FROM PUBLIC`,
      `REVOKE ALL ON FUNCTION ${s}.claim_record_spaces(text, text[], text[], text[]) FROM PUBLIC`,
      // SPACE-14: visibility (SPACE-2) and authorship (PUSH-20) bind in the database too.
      `ALTER TABLE ${s}.sync_changes ENABLE ROW LEVEL SECURITY`,
      `ALTER TABLE ${s}.sync_changes FORCE ROW LEVEL SECURITY`,
      `CREATE POLICY sync_changes_read ON ${s}.sync_changes FOR SELECT TO ${appRole}
         USING (user_id = ${s}.request_user_id()
                OR space_id = '_personal:' || ${s}.request_user_id()
                OR space_id = ANY (${s}.request_space_ids()))`,
      `CREATE POLICY sync_changes_write ON ${s}.sync_changes FOR INSERT TO ${appRole}
         WITH CHECK (user_id = ${s}.request_user_id()
                     AND (space_id = '_personal:' || ${s}.request_user_id() OR space_id = ANY (${s}.request_space_ids())))`,
      `ALTER TABLE ${s}.push_ids ENABLE ROW LEVEL SECURITY`,
      `ALTER TABLE ${s}.push_ids FORCE ROW LEVEL SECURITY`,
      `CREATE POLICY push_ids_own ON ${s}.push_ids FOR ALL TO ${appRole}
         USING (user_id = ${s}.request_user_id()) WITH CHECK (user_id = ${s}.request_user_id())`,
    ],
  },
];

/** The statements run at every start: the role and its grants, which live outside the schema's history. */
function appRoleStatements({ schema: s, appRole }: DatabaseLayout): string[] {
  return [
    // NOLOGIN, and never superuser or BYPASSRLS: either would make row-level security silently not bind.
    // A concurrent start (another schema on the same cluster) may create it first: not an error.
    `DO $$ BEGIN
       CREATE ROLE ${appRole} NOLOGIN NOSUPERUSER NOBYPASSRLS NOINHERIT;
     EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
     END $$`,
    // The connecting role switches to the app role per transaction (SET LOCAL ROLE), which needs
    // membership unless it is a superuser.
    `DO $$ BEGIN
       IF NOT (SELECT rolsuper FROM pg_roles WHERE rolname = current_user)
          AND NOT pg_has_role(current_user, '${appRole}', 'MEMBER') THEN
         EXECUTE format('GRANT %I TO %I', '${appRole}', current_user);
       END IF;
     END $$`,
    `GRANT USAGE ON SCHEMA ${s} TO ${appRole}`,
    `GRANT SELECT, INSERT ON ${s}.sync_changes TO ${appRole}`,
    `GRANT SELECT, INSERT, DELETE ON ${s}.push_ids TO ${appRole}`,
    `GRANT EXECUTE ON FUNCTION ${s}.record_spaces_of(text, text[], text[]) TO ${appRole}`,
    `GRANT EXECUTE ON FUNCTION ${s}.claim_record_spaces(text, text[], text[], text[]) TO ${appRole}`,
  ];
}

export interface MigrationReport {
  /** Versions applied by this run, in order; empty when the schema was already current. */
  applied: number[];
  current: number;
}

/**
 * Brings the schema to the newest version in one transaction; safe to run at every start and from
 * several servers at once (an advisory lock makes them take turns).
 */
export async function migrate(db: Database, layout: DatabaseLayout): Promise<MigrationReport> {
  return db.transaction(async (tx: Queryable) => {
    await tx.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`mana-sync migrations ${layout.schema}`]);
    await tx.query(`CREATE SCHEMA IF NOT EXISTS ${layout.schema}`);
    await tx.query(`CREATE TABLE IF NOT EXISTS ${layout.schema}.schema_migrations (
      version integer PRIMARY KEY,
      description text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`);
    const done = new Set(
      (await tx.query<{ version: number }>(`SELECT version FROM ${layout.schema}.schema_migrations`)).map((row) => Number(row.version)),
    );
    // The policies name the role, so it exists before the first migration runs.
    const [roleStatement, ...grantStatements] = appRoleStatements(layout);
    await tx.query(roleStatement!);
    const applied: number[] = [];
    for (const migration of MIGRATIONS) {
      if (done.has(migration.version)) continue;
      for (const statement of migration.statements(layout)) await tx.query(statement);
      await tx.query(`INSERT INTO ${layout.schema}.schema_migrations (version, description) VALUES ($1, $2)`, [
        migration.version,
        migration.description,
      ]);
      applied.push(migration.version);
    }
    for (const statement of grantStatements) await tx.query(statement);
    return { applied, current: MIGRATIONS.at(-1)!.version };
  });
}
