import type { ColumnDef, ConstraintDef, Origin, TableDef } from '../../../src/core/catalog/model';

/** test/fixtures/embedded/warehouse/ddl.sql, converted by hand into the Catalog model. */
const origin: Origin = { kind: 'ddl', file: 'test/fixtures/embedded/warehouse/ddl.sql' };
const col = (name: string, dataType: string, extra: Partial<ColumnDef> = {}): ColumnDef => ({ name, dataType, origin, ...extra });
const pk = (columns: string[], name?: string): ConstraintDef => ({ kind: 'primaryKey', columns, name, origin });

export function fixtureTables(): TableDef[] {
  return [
    {
      schema: 'sales',
      name: 'customers',
      kind: 'table',
      columns: [
        col('customer_id', 'INTEGER', { identity: true, identitySeed: 100, identityStep: 1, encoding: 'az64', nullable: false } as Partial<ColumnDef>),
        col('name', 'VARCHAR(MAX)', { nullable: false, encoding: 'lzo' }),
        col('city', 'VARCHAR(64)', { comment: 'City, as typed' }),
        col('signup_date', 'DATE', { defaultExpr: 'GETDATE()' }),
        col('profile', 'SUPER'),
      ],
      constraints: [pk(['customer_id'])],
      comment: 'People who buy',
      distStyle: 'key',
      distKey: 'customer_id',
      sortKey: { style: 'compound', columns: ['signup_date'] },
      origin,
    },
    {
      schema: 'sales',
      name: 'orders',
      kind: 'table',
      columns: [
        col('order_id', 'BIGINT', { nullable: false }),
        col('customer_id', 'INTEGER'),
        col('amount', 'NUMERIC(38,10)'),
        col('status', 'CHAR(1)'),
        col('ordered_at', 'TIMESTAMP'),
      ],
      constraints: [
        { kind: 'foreignKey', columns: ['customer_id'], references: { schema: 'sales', table: 'customers', columns: ['customer_id'] }, origin },
        pk(['order_id'], 'orders_pk'),
        { kind: 'check', name: 'amount_positive', columns: ['amount'], expression: 'amount >= 0', origin },
      ],
      distStyle: 'even',
      origin,
    },
    {
      schema: 'sales',
      name: 'order_items',
      kind: 'table',
      columns: [col('order_id', 'BIGINT', { nullable: false }), col('sku', 'VARCHAR(20)', { nullable: false }), col('qty', 'SMALLINT')],
      constraints: [pk(['order_id', 'sku'])],
      origin,
    },
    {
      schema: 'sales',
      name: 'big_orders',
      kind: 'view',
      columns: [],
      constraints: [],
      definitionSql: 'SELECT order_id, NVL(amount, 0) AS amount FROM sales.orders WHERE amount > 100',
      origin,
    },
    {
      schema: 'sales',
      name: 'returns',
      kind: 'table',
      columns: [col('order_id', 'BIGINT'), col('sku', 'VARCHAR(20)'), col('reason', 'VARCHAR(100)')],
      constraints: [],
      origin,
    },
    { schema: 'sales', name: 'events', kind: 'table', columns: [col('id', 'INT'), col('happened', 'DATE')], constraints: [], origin },
  ];
}
