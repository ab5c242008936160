import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { classifyFile } from '../../../src/core/workspace/classify';
import { tokenize } from '../../../src/core/workspace/codeConstants/lexer';
import { extractFile } from '../../../src/core/workspace/extractFile';
import { snakeCase } from '../../../src/core/workspace/annotations';
import { resolveOrmEntities } from '../../../src/core/workspace/ormEntities';
import { coldAndWarm, qualifiedColumn } from './helpers';

const dir = path.join(__dirname, '../../fixtures/workspace/go');
const context = { dbtProjects: [] };
const models = () => extractFile('internal/store/models.go', readFileSync(path.join(dir, 'internal/store/models.go')), context);

describe('Go', () => {
  it('is a file kind of its own, lexed with raw strings and runes', () => {
    assert.equal(classifyFile('internal/store/models.go', context), 'go');
    const strings = tokenize("s := `raw \\n ${x}` + \"a\\tb\" + string('c')", 'go').filter((t) => t.type === 'str');
    assert.deepEqual(strings.map((t) => [t.value, t.interpolated]), [['raw \\n ${x}', false], ['a b', false], ['c', false]]);
    assert.deepEqual(['CustomerID', 'ID', 'HTTPStatus', 'SkuCode', 'OrderLine'].map(snakeCase), ['customer_id', 'id', 'http_status', 'sku_code', 'order_line']);
  });

  it('reads code constants: iota blocks, map literals, switches', () => {
    assert.deepEqual(
      models().constants.map((c) => `${c.name} ${c.shape} ${c.entries.map((e) => `${e.code}=${e.label}`).join(',')}`),
      [
        // iota + 1, repeated by each line; `_` takes its value
        'OrderStatus enum 1=StatusPending,2=StatusPaid,3=StatusShipped,5=StatusRefunded',
        'const@20 enum 1=FlagGift,2=FlagExpress',
        'channelNames object 1=Web,2=App',
        'statusLabel switch 1=Pending,2=Open,3=Open',
      ],
    );
  });

  it('reads the SQL of raw strings at their lines', () => {
    assert.deepEqual(
      models().joins.filter((j) => !j.via).map((j) => `${j.origin.line}: ${qualifiedColumn(j.left)} = ${qualifiedColumn(j.right)}`),
      ['70: sales.customers.customer_id = orders.customer_id'],
    );
  });

  it('reads GORM models: tables, columns, keys, and belongs-to, has-many and many2many relationships', () => {
    const f = models();
    assert.deepEqual(
      f.entities?.map((e) => `${e.name} ${e.table.schema ? `${e.table.schema}.` : ''}${e.table.name}.${e.idColumn}`),
      // a plain struct (Totals) is no model
      ['Customer sales.customers.customer_id', 'Order orders.id'],
    );
  });

  it('takes a field of a named non-struct type for a column, a tagged key column of another struct for its key, and no DTO for a model', () => {
    const files = {
      'models/customer.go': 'package models\nimport "gorm.io/gorm"\ntype Status int\ntype Customer struct {\n\tID uint\n\tState Status\n\tOrders []Order\n}\n',
      'models/order.go': 'package models\nimport "gorm.io/gorm"\ntype Order struct {\n\tID uint\n\tCustomerID uint `gorm:"column:cust_ref"`\n}\n',
      // sorted first: a DTO with an ID field, in a file without GORM
      'api/dto.go': 'package api\ntype Order struct {\n\tID uint `json:"id"`\n}\n',
    };
    const facts = Object.entries(files).map(([file, text]) => extractFile(file, Buffer.from(text), context));
    assert.deepEqual(facts.map((f) => f.entities?.map((e) => e.name) ?? []), [['Customer'], ['Order'], []]);
    const joins = resolveOrmEntities(facts.flatMap((f) => f.joins), facts.flatMap((f) => f.entities ?? []));
    assert.deepEqual(joins.map((j) => `${qualifiedColumn(j.left)} -> ${qualifiedColumn(j.right)}`), ['orders.cust_ref -> customers.id']);
  });

  it('reads grouped type declarations, GORM v1 primary_key tags, slices of values as columns, and switches on a field', () => {
    const text = [
      'package m',
      'import "gorm.io/gorm"',
      'type (',
      '\tAccount struct {',
      '\t\tCode string `gorm:"primary_key;column:acct_code"`',
      '\t\tPayload []byte `gorm:"column:payload_json"`',
      '\t}',
      '\tPayment struct {',
      '\t\tID uint',
      '\t\tAccountCode string',
      '\t\tAccount Account `gorm:"foreignKey:AccountCode;references:Code"`',
      '\t}',
      ')',
      'func label(o Payment) string {',
      '\tswitch o.Status {',
      '\tcase 1:',
      '\t\treturn "a"',
      '\tcase 2:',
      '\t\treturn "b"',
      '\t}',
      '\treturn ""',
      '}',
    ].join('\n');
    const f = extractFile('m.go', Buffer.from(text), context);
    assert.deepEqual(f.entities?.map((e) => `${e.name}:${e.line} ${e.table.name}.${e.idColumn} ${JSON.stringify(e.fieldColumns ?? {})}`), [
      'Account:4 accounts.acct_code {"code":"acct_code","payload":"payload_json"}',
      'Payment:8 payments.id {}',
    ]);
    assert.deepEqual(resolveOrmEntities(f.joins, f.entities ?? []).map((j) => `${qualifiedColumn(j.left)} -> ${qualifiedColumn(j.right)}`), ['payments.account_code -> accounts.acct_code']);
    assert.deepEqual(f.constants.map((c) => c.name), ['label']);
  });

  it("keys GORM's own test models as GORM does: no polymorphic key, a self many2many's friend_id, join tables' names", () => {
    const text = [
      'package tests',
      'type User struct {',
      '\tgorm.Model',
      '\tToys      []Toy   `gorm:"polymorphic:Owner"`',
      '\tTools     []Tools `gorm:"polymorphicType:Type;polymorphicId:CustomID"`',
      '\tLanguages []Language `gorm:"many2many:UserSpeak;"`',
      '\tFriends   []*User    `gorm:"many2many:user_friends;"`',
      '}',
      'type Toy struct {\n\tgorm.Model\n\tOwnerID   string\n\tOwnerType string\n}',
      'type Tools struct {\n\tgorm.Model\n\tCustomID string\n\tType     string\n}',
      'type Language struct {\n\tCode string `gorm:"primarykey"`\n}',
    ].join('\n');
    const f = extractFile('tests/models.go', Buffer.from(text), context);
    assert.deepEqual(f.entities?.map((e) => e.table.name), ['users', 'toys', 'tools', 'languages']);
    assert.deepEqual(resolveOrmEntities(f.joins, f.entities ?? []).map((j) => `${j.origin.line}: ${qualifiedColumn(j.left)} -> ${qualifiedColumn(j.right)}`), [
      '6: user_speaks.user_id -> users.id',
      '6: user_speaks.language_id -> languages.code',
      '7: user_friends.user_id -> users.id',
      '7: user_friends.friend_id -> users.id',
    ]);
  });

  it("places relationships on the tables other files' models declare, once the workspace is read (and from the cache)", async () => {
    await coldAndWarm(dir, '.', (snap, run) => {
      assert.deepEqual(
        snap.joins.filter((j) => j.via).map((j) => `${j.origin.line}: ${qualifiedColumn(j.left)} -> ${qualifiedColumn(j.right)} ${j.via}`),
        [
          // Customer.Orders, has many: the order's CustomerID
          '44: orders.customer_id -> sales.customers.customer_id orm-foreign-key',
          // Order.Customer, belongs to: CustomerID beside it
          '52: orders.customer_id -> sales.customers.customer_id orm-foreign-key',
          // foreignKey and references, a column tag, a struct of another file with its TableName()
          '54: orders.sku -> sales.skuinfo.sku_code orm-foreign-key',
          // a slice of a struct declared nowhere: GORM's defaults
          '55: order_lines.order_id -> orders.id orm-foreign-key',
          '56: order_tags.order_id -> orders.id orm-foreign-key',
          '56: order_tags.tag_id -> tags.id orm-foreign-key',
        ],
        run,
      );
    });
  });
});

