import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { classifyFile } from '../../../src/core/workspace/classify';
import { tokenize } from '../../../src/core/workspace/codeConstants/lexer';
import { extractFile } from '../../../src/core/workspace/extractFile';

const dir = path.join(__dirname, '../../fixtures/workspace/ruby');
const facts = (file: string) => extractFile(file, readFileSync(path.join(dir, file)), { dbtProjects: [] });
const maps = (file: string) => facts(file).constants.map((c) => [c.name, c.shape, c.origin.line, c.entries.map((e) => `${e.code}=${e.label}@${e.line}`).join(' ')]);
const lexed = (ruby: string) => tokenize(ruby, 'ruby').map((t) => `${t.type}:${t.value}`);

describe('Ruby', () => {
  it('is indexed as its own kind', () => {
    assert.equal(classifyFile('app/models/order.rb', { dbtProjects: [] }), 'ruby');
    assert.equal(classifyFile('lib/tasks/load.rake', { dbtProjects: [] }), 'ruby');
  });

  it("reads Rails enums in each of their forms, {1 => 'x'} hashes and case/when methods, named where Rails and Ruby name them", () => {
    assert.deepEqual(maps('app/models/order.rb'), [
      // the options (_prefix:, prefix:) are no values
      ['Order.status', 'enum', 12, '1=pending@12 2=paid@12 3=shipped@12 9=cancelled@12'],
      // an array counts from 0, as Rails stores it
      ['Order.channel', 'enum', 13, '0=web@13 1=phone@13 2=store@13'],
      ['Order.priority', 'enum', 14, '0=low@14 10=high@14'],
      ['Order.kind', 'enum', 15, '0=standard@15 1=gift@15'],
      // a comment inside the hash; a hash of names to numbers without `enum` is no code table
      ['PAYMENT_NAMES', 'hash', 17, '1=Card@18 2=Invoice@19 3=Voucher@20'],
      // `when 2, 3` with the string on the next line; `else` is no code
      ['carrier_name', 'case', 26, '1=DHL@27 2=UPS@28 3=UPS@28 4=FedEx@30'],
    ]);
    // an option whose value is a hash is no entry either
    const options = 'class Order\n  enum :status, pending: 1, paid: 2, validate: { allow_nil: true }, default: :pending\nend\n';
    assert.deepEqual(
      extractFile('o.rb', Buffer.from(options), { dbtProjects: [] }).constants.map((c) => [c.name, c.entries.map((e) => `${e.code}=${e.label}`).join(' ')]),
      [['Order.status', '1=pending 2=paid']],
    );
    // a module's integer constants, named after the innermost module; a string constant is left out
    assert.deepEqual(maps('app/models/region.rb'), [['Region', 'class-constants', 2, '1=NORTH@3 2=SOUTH@4 3=EAST@5']]);
  });

  it('reads the joins of SQL in heredocs and concatenated strings, at their lines, and none in comments or after __END__', () => {
    const f = facts('app/services/late_orders.rb');
    assert.deepEqual(
      f.joins.map((j) => `${j.origin.line}: ${j.left.table?.name}.${j.left.column} = ${j.right.table?.name}.${j.right.column}`),
      ['7: customers.customer_id = orderinfo.customer_id', '14: orderinfo.order_id = shipments.order_id'],
    );
    assert.deepEqual(f.diagnostics, []);
  });

  it('lexes symbols as strings, %w/%i arrays as lists, regular expressions and interpolation without their brackets counting', () => {
    assert.deepEqual(lexed('belongs_to :customer, class_name: "Client"'), ['id:belongs_to', 'str:customer', 'punct:,', 'id:class_name', 'punct::', 'str:Client']);
    assert.deepEqual(lexed('A::B, %i[x y]'), ['id:A', 'punct:::', 'id:B', 'punct:,', 'punct:[', 'str:x', 'punct:,', 'str:y', 'punct:]']);
    assert.deepEqual(lexed('x = a / 2; y = s.split /[(]/'), ['id:x', 'punct:=', 'id:a', 'punct:/', 'num:2', 'punct:;', 'id:y', 'punct:=', 'id:s', 'punct:.', 'id:split', 'str:[(]']);
    assert.deepEqual(lexed('"id = #{ids.map { |i| i }.join(")")}" @@count $stdout valid? list << item'), [
      'str:id = :__expr__',
      'id:@@count',
      'id:$stdout',
      'id:valid?',
      'id:list',
      'punct:<<',
      'id:item',
    ]);
    // a file that opens with an =begin comment
    assert.deepEqual(tokenize('=begin\nSELECT a FROM b JOIN c ON b.x = c.y\n=end\nx = 1\n', 'ruby').map((t) => `${t.line}:${t.value}`), ['4:x', '4:=', '4:1']);
    // two heredocs on one line, then the line after both
    const two = tokenize('f(<<~A, <<-B)\n  one\n  A\n  two\n  B\ng', 'ruby');
    assert.deepEqual(two.map((t) => [t.type, t.value, t.line, t.contentLine]), [
      ['id', 'f', 1, 1],
      ['punct', '(', 1, 1],
      ['str', '  one', 1, 2],
      ['punct', ',', 1, 1],
      ['str', '  two', 1, 4],
      ['punct', ')', 1, 1],
      ['id', 'g', 6, 6],
    ]);
  });

  it("reads discourse-style Enum.new objects (keywords, or symbols numbered from start:), named after the method or constant", () => {
    const src = [
      'class Post < ActiveRecord::Base',
      '  def self.types',
      '    @types ||= Enum.new(regular: 1, moderator_action: 2, whisper: 4)',
      '  end',
      '  def self.hidden_reasons',
      '    @hidden_reasons ||= Enum.new(:flag_threshold_reached, :flag_threshold_reached_again, start: 0)',
      '  end',
      '  NOTIFY = Enum.new(:mention, :reply)',
      'end',
    ].join('\n');
    const found = extractFile('app/models/post.rb', Buffer.from(src), { dbtProjects: [] }).constants.map((c) => [c.name, c.entries.map((e) => `${e.code}=${e.label}`).join(' ')]);
    assert.deepEqual(found, [
      ['Post.types', '1=regular 2=moderator_action 4=whisper'],
      ['Post.hidden_reasons', '0=flag_threshold_reached 1=flag_threshold_reached_again'],
      ['NOTIFY', '1=mention 2=reply'],
    ]);
  });
});
