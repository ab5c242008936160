import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { classifyFile } from '../../../src/core/workspace/classify';
import { tokenize } from '../../../src/core/workspace/codeConstants/lexer';
import { extractFile } from '../../../src/core/workspace/extractFile';
import { coldAndWarm, qualifiedColumn } from './helpers';

const dir = path.join(__dirname, '../../fixtures/workspace/kotlin');
const context = { dbtProjects: [] };
const facts = (file: string) => extractFile(`src/main/kotlin/shop/${file}`, readFileSync(path.join(dir, 'src/main/kotlin/shop', file)), context);

describe('Kotlin', () => {
  it('is a file kind of its own, lexed with its templates, raw strings and names in backticks', () => {
    assert.deepEqual(['a/Order.kt', 'build.gradle.kts', 'a/Order.java'].map((f) => classifyFile(f, context)), ['kotlin', 'kotlin', 'java']);
    const strings = tokenize('val a = "id = $id and ${x.y} \\$" + """raw \\n $z""" + \'c\'\nval `order` = 1', 'kotlin').filter((t) => t.type === 'str' || t.value === 'order');
    assert.deepEqual(
      strings.map((t) => [t.type, t.value, t.interpolated]),
      [
        ['str', 'id = :__expr__ and :__expr__ $', true],
        // a raw string escapes nothing
        ['str', 'raw \\n :__expr__', true],
        ['str', 'c', false],
        ['id', 'order', false],
      ],
    );
  });

  it('reads code constants: enum classes with codes, const vals of objects and companions, mapOf, when', () => {
    assert.deepEqual(
      facts('OrderStatus.kt').constants.map((c) => `${c.name} ${c.shape} ${c.entries.map((e) => `${e.code}=${e.label}`).join(',')}`),
      [
        'OrderStatus enum 1=Pending,2=Paid,3=Shipped',
        // a string constant is no code
        'Carriers class-constants 1=UPS,2=FEDEX,3=DHL',
        // a companion object's, named after its class
        'Region class-constants 10=NORTH,20=SOUTH',
        'CHANNEL_NAMES object 1=Web,2=App,3=Store',
        // `in 4..9` and `else` are no codes
        'statusLabel switch 1=Pending,2=Open,3=Open',
      ],
    );
  });

  it('reads the SQL of string literals, raw strings and templates included, at their lines', () => {
    assert.deepEqual(
      facts('OrderStatus.kt').joins.map((j) => `${j.origin.line}: ${qualifiedColumn(j.left)} = ${qualifiedColumn(j.right)}`),
      ['41: sales.customers.customer_code = sales.orders.cust_ref', '47: sales.orders.order_id = ops.shipments.order_id'],
    );
  });

  it('reads JPA entities: constructor and body properties, use-site targets, collections, inheritance', () => {
    const f = facts('Order.kt');
    assert.deepEqual(
      f.entities?.map((e) => `${e.name} ${e.table.schema ? `${e.table.schema}.` : ''}${e.table.name}.${e.idColumn ?? ''}${e.extends ? ` extends ${e.extends}` : ''}${e.inheritance ? ` ${e.inheritance}` : ''}`),
      ['Order sales.orders.order_id', 'Customer customer.customer_code', 'Payment payment.payment_id joined', 'CardPayment card_payments. extends Payment'],
    );
    assert.deepEqual(
      f.joins.map((j) => `${j.origin.line}: ${qualifiedColumn(j.left)} -> ${j.toEntity ?? qualifiedColumn(j.right)} ${j.via}`),
      [
        '14: sales.orders.cust_ref -> Customer orm-foreign-key',
        // @field:JoinColumn on a name in backticks
        '18: sales.orders.channel_id -> SalesChannel orm-foreign-key',
        // a MutableSet's @ManyToMany with its @JoinTable; the mappedBy list holds no key
        '25: order_tags.order_id -> sales.orders.order_id orm-foreign-key',
        '25: order_tags.tag_id -> Tag orm-foreign-key',
        '28: sales.orders.invoice_id -> Invoice orm-one-to-one',
        // the supertype it calls is its superclass
        '42: card_payments. -> Payment orm-one-to-one',
        '43: card_payments.issuer_id -> Issuer orm-foreign-key',
      ],
    );
  });

  it("places keys on the tables other files' entities map, once the workspace is read (and from the cache)", async () => {
    await coldAndWarm(dir, '.', (snap, run) => {
      const described = snap.joins.filter((j) => j.via?.startsWith('orm')).map((j) => `${j.origin.line}: ${qualifiedColumn(j.left)} -> ${qualifiedColumn(j.right)}`);
      assert.deepEqual(
        described,
        [
          '14: sales.orders.cust_ref -> customer.customer_code',
          '18: sales.orders.channel_id -> sales_channel.id',
          '25: order_tags.order_id -> sales.orders.order_id',
          '25: order_tags.tag_id -> tag.id',
          '28: sales.orders.invoice_id -> invoice.id',
          // JOINED: the subclass's id, named as the root's, a key to it
          '42: card_payments.payment_id -> payment.payment_id',
          '43: card_payments.issuer_id -> issuer.id',
        ],
        run,
      );
    });
  });
});

describe('Exposed tables (Kotlin)', () => {
  const exposed = path.join(__dirname, '../../fixtures/workspace/exposed');
  it('declares each table object as an entity and reads references, reference() and optReference() as ORM keys', () => {
    const f = extractFile('db/Tables.kt', readFileSync(path.join(exposed, 'db/Tables.kt')), context);
    assert.deepEqual(
      f.entities?.map((e) => `${e.name} ${e.table.schema ? `${e.table.schema}.` : ''}${e.table.name}.${e.idColumn ?? ''} ${JSON.stringify(e.fieldColumns ?? {})}`),
      [
        // an IdTable's id column, as its constructor names it
        'Customers sales.customers.customer_id {"id":"customer_id"}',
        'Skus sales.skuinfo.sku_code {"code":"sku_code","vendorId":"vendor_id"}',
        'OrderLinesTable OrderLines. {"orderId":"order_id","customer":"cust_id","store":"store_id"}',
      ],
    );
    assert.deepEqual(
      f.joins.map((j) => `${j.origin.line}: ${qualifiedColumn(j.left)} -> ${j.toEntity}.${j.right.column} ${j.via}`),
      ['12: sales.skuinfo.vendor_id -> Vendors.id orm-foreign-key', '19: OrderLines.cust_id -> Customers.id orm-foreign-key', '20: OrderLines.sku -> Skus.code orm-foreign-key', '21: OrderLines.store_id -> Stores.id orm-foreign-key'],
    );
  });

  it('reads properties written with their type', () => {
    const text = 'object Lines : Table("lines") {\n  override val id: Column<EntityID<Long>> = long("line_id").entityId()\n  val customerId: Column<Int> = integer("customer_id").references(Customers.id)\n  override val primaryKey = PrimaryKey(id)\n}';
    const f = extractFile('db/Lines.kt', Buffer.from(text), context);
    assert.deepEqual([f.entities?.[0]?.idColumn, f.joins.map((j) => `${j.left.column} -> ${j.toEntity}.${j.right.column}`)], ['line_id', ['customer_id -> Customers.id']]);
  });

  it("places keys on the referenced objects' tables and columns, in this file or another", async () => {
    await coldAndWarm(exposed, '.', (snap, run) => {
      assert.deepEqual(
        snap.joins.map((j) => `${j.origin.file}:${j.origin.line} ${qualifiedColumn(j.left)} -> ${qualifiedColumn(j.right)}`),
        [
          'db/Tables.kt:12 sales.skuinfo.vendor_id -> sales.vendors.vendor_id',
          'db/Tables.kt:19 OrderLines.cust_id -> sales.customers.customer_id',
          'db/Tables.kt:20 OrderLines.sku -> sales.skuinfo.sku_code',
          // declared nowhere: the object's name
          'db/Tables.kt:21 OrderLines.store_id -> Stores.id',
        ],
        run,
      );
    });
  });
});
