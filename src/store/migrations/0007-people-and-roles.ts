import { sql, type Kysely, type Migration } from 'kysely';

/**
 * People and roles: `users` (local accounts with an argon2id hash, and single sign-on identities
 * keyed by issuer and subject), who acknowledged an incident, and its role holders. Each role is
 * a column of its own, so handing over the commander and naming a communications lead at the same
 * moment never overwrite each other.
 */
export function peopleAndRoles(): Migration {
  return {
    async up(db: Kysely<any>): Promise<void> {
      await db.schema
        .createTable('users')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('login', 'text', (c) => c.notNull().unique())
        .addColumn('display_name', 'text', (c) => c.notNull())
        .addColumn('password_hash', 'text')
        .addColumn('oidc_issuer', 'text')
        .addColumn('oidc_subject', 'text')
        .addColumn('session_epoch', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('users_oidc').unique().on('users').columns(['oidc_issuer', 'oidc_subject']).execute();
      await db.schema.alterTable('incidents').addColumn('acknowledged_by', 'text').execute();
      await db.schema.alterTable('incidents').addColumn('commander', 'text').execute();
      await db.schema.alterTable('incidents').addColumn('communications_lead', 'text').execute();
    },
    async down(db: Kysely<any>): Promise<void> {
      await db.schema.alterTable('incidents').dropColumn('communications_lead').execute();
      await db.schema.alterTable('incidents').dropColumn('commander').execute();
      await db.schema.alterTable('incidents').dropColumn('acknowledged_by').execute();
      await sql`drop table users`.execute(db);
    },
  };
}
