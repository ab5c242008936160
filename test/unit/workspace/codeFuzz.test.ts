import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { extractFile } from '../../../src/core/workspace/extractFile';
import type { FileKind } from '../../../src/core/workspace/facts';
import { PRIMING_FILES } from '../../../src/core/workspace/warmup';
import { mulberry32 } from '../prng';

const FIXTURES = join(__dirname, '../../fixtures/workspace');
/** A fixture file of test/fixtures/workspace, as the corpus holds it. */
const fixture = (kind: FileKind, rel: string): { file: string; kind: FileKind; text: string } => ({ file: basename(rel), kind, text: readFileSync(join(FIXTURES, rel), 'utf8') });

const CORPUS: Array<{ file: string; kind: FileKind; text: string }> = [
  fixture('php', 'code/vendors.php'),
  fixture('python', 'code/status.py'),
  fixture('typescript', 'code/codes.ts'),
  fixture('java', 'code/Vendor.java'),
  ...PRIMING_FILES.filter(([, kind]) => ['php', 'python', 'typescript', 'java'].includes(kind)).map(([file, kind, text]) => ({ file, kind, text })),
  fixture('ruby', 'ruby/app/models/order.rb'),
  fixture('ruby', 'ruby/app/services/late_orders.rb'),
  fixture('ruby', 'ruby/db/schema.rb'),
  fixture('javascript', 'orm/js/migrations/20240110_create_orders.js'),
  fixture('typescript', 'orm/js/db/schema.ts'),
  fixture('javascript', 'orm/sequelize/models/order.js'),
  fixture('prisma', 'orm/prisma/prisma/schema/shop.prisma'),
  fixture('php', 'orm/doctrine/Order.php'),
  fixture('php', 'orm/doctrine/Customer.php'),
  fixture('kotlin', 'kotlin/src/main/kotlin/shop/Order.kt'),
  fixture('kotlin', 'kotlin/src/main/kotlin/shop/OrderStatus.kt'),
  fixture('kotlin', 'exposed/db/Tables.kt'),
  fixture('go', 'go/internal/store/models.go'),
  fixture('csharp', 'csharp/Shop/Models/Order.cs'),
  fixture('csharp', 'csharp-fluent/Shop/Data/ShopContext.cs'),
  fixture('csharp', 'csharp-fluent/Shop/Configurations/ProductConfiguration.cs'),
  fixture('python', 'orm/sqlalchemy/shop/reports.py'),
  fixture('python', 'orm/sqlalchemy/shop/models.py'),
  fixture('python', 'pyspark/jobs/late_orders.py'),
  fixture('python', 'pyspark/notebooks/churn.py'),
];

// what tends to break bracket matching and backward scans: unbalanced brackets, generics, quotes, heredocs, operators
const INJECT = ["Table('t', m, Column('c', ForeignKey('a.b'))", ' extends Model {', 'return $this->belongsTo(X::class', "$this->hasMany('A\\B', 'x_id')", "protected $table = 'y';", "@Entity({ name: 'x' })", '@ManyToOne(() => ', "@JoinColumn({ name: 'c' })", '@Entity', '@ManyToOne', '@JoinColumn(name = "x_id")', '@Table(name = "t")', "models.ForeignKey('app.M', db_column='x')", "mapped_column(ForeignKey('s.t.id'))", '__tablename__ = ', "->join('t as a', 'a.x', '=', 'b.y')", ".leftJoin('t', ", "DB::table('x as b')", "Schema::create('t', function (Blueprint $table) {", "$table->foreignId('c_id')->constrained()", "->references('id')->on('t')", "$table->foreignIdFor(X::class)", "op.create_table('t', ", "sa.ForeignKeyConstraint(['a'], ['t.b'])", "op.create_foreign_key('f', 's', 't', ['a'], ['b'])", "with op.batch_alter_table('t') as b:", 'model M {\n', '@relation(fields: [', 'references: [id])', '@@map("t")', '@map(', '@@', '<<~SQL\n', '\nSQL\n', 'enum status: { a: 1, ', '%i[', '%w(', ':sym', 'when 1 then ', 'case x\n', 'end\n', 'def f\n', 'module M\n', '#{', '=begin\n', '\n=end\n', ' / ', '?', 'belongs_to :', 'has_many :x, class_name: "Y"', 'add_foreign_key "a", ', 't.references :c, foreign_key: true', 'create_table "t" do |t|\n', ' < ApplicationRecord\n', 'self.table_name = ', ".createTable('t', (t) => {", ".references('a.id')", ".inTable('x')", "pgTable('t', {", '.references(() => t.id)', 'foreignKey({ columns: [', 'this.belongsTo(models.X, { foreignKey: ', 'X.init({ ', 'references: { model: ', 'queryInterface.createTable(', '#[ORM\\ManyToOne(', '#[ORM\\Entity]\n', '#[', '@ORM\\JoinColumn(name="x_id"', '/** @ORM\\Entity */', '@ORM\\JoinColumns({', 'joinColumns={', 'new ORM\\JoinColumn(', '.join(A, A.x == B.y', ' == ', 'foreign(', 'aliased(', "primaryjoin='A.x == ", '.c.', 'and_(', 'enum class E(val c: Int) {', 'const val ', 'companion object {', 'when (x) {', ' to ', 'mapOf(', '@field:', 'object T : Table("t") {', '.references(', 'reference("c", ', 'PrimaryKey(', 'spark.table("s.t")', 'const (\n', '@"', '$"', '"""', '[Table("t")]', '[ForeignKey(nameof(X))]', 'modelBuilder.Entity<X>(e => {', 'modelBuilder.Entity<X>()', '.HasOne(d => d.X).WithMany(', '.HasMany(d => d.Xs).WithOne(', '.HasForeignKey<X>(', '.UsingEntity<Dictionary<string, object>>("XY", ', 'IEntityTypeConfiguration<X>', 'Configure(EntityTypeBuilder<X> b)', '.ToTable("t", "s")', 'e => new { e.A, ', ' { get; set; }', 'code switch {', 'new Dictionary<int, string> {', '= iota + 1\n', 'type T struct {', '`gorm:"foreignKey:X"`', 'map[int]string{', 'switch x {', '.join(', 'F.col("o.x")', '.alias("o")', 'on=[', 'pd.read_sql("select * from s.t", e)', '.merge(', 'left_on=', 'val x: List<', ') : P(), ', '"$', '`', ", function ($join) { $join->on(", '(', ')', '[', ']', '{', '}', '<', '>', '>>', '<<<SQL\n', "'", '"', '`', '"""', '${', '/*', '*/', '//', '#', '=>', '->', '::', '=', ',', ';', ':', '-', '\\', 'case', 'return', 'enum', 'const', 'new Map<number, string>(', 'switch (x) {', 'match ($x) {', 'match ($this) {', 'self::', 'match x:\n', 'case 1 | 2:', 'elif x == 2:', 'if x in (1, 2):', '\n', ' ', 'auto()', '= auto()\n', 'class E(IntFlag):\n', ' << ', ' | ', '~(', '**'];

const SEED = Number(process.env.QUARRY_FUZZ_SEED ?? 20261127);
const CASES = Number(process.env.QUARRY_FUZZ_CASES ?? 2000);
const PER_CASE_MS = 500; // generous: the machine is shared; a real hang takes far longer

describe('fuzz: code-constant and SQL-literal extraction never throws and always finishes', function () {
  this.timeout(60_000);

  function mutate(rand: () => number): { file: string; kind: FileKind; text: string } {
    const base = CORPUS[Math.floor(rand() * CORPUS.length)]!;
    // pieces that each start at a bracket, quote, operator or space, so edits land where the matchers look
    const parts = base.text.split(/(?=[\s()[\]{}<>,;:='"`$#\\/-])/);
    const edits = 1 + Math.floor(rand() * 8);
    for (let e = 0; e < edits && parts.length > 0; e++) {
      const at = Math.floor(rand() * parts.length);
      const kind = rand();
      if (kind < 0.25) parts.splice(at, 1 + Math.floor(rand() * 3));
      else if (kind < 0.45) parts.splice(at, 0, ...parts.slice(at, at + 1 + Math.floor(rand() * 5)));
      else if (kind < 0.85) parts.splice(at, 0, INJECT[Math.floor(rand() * INJECT.length)]!);
      else parts.length = at; // truncate
    }
    return { file: base.file, kind: base.kind, text: parts.join('') };
  }

  it(`survives ${CASES} mutated source files (seed ${SEED})`, () => {
    const rand = mulberry32(SEED);
    let worst = 0;
    for (let i = 0; i < CASES; i++) {
      const { file, kind, text } = mutate(rand);
      const t0 = performance.now();
      const facts = extractFile(file, Buffer.from(text), { dbtProjects: [] }, kind);
      const ms = performance.now() - t0;
      worst = Math.max(worst, ms);
      const crash = facts.diagnostics.find((d) => d.message.startsWith('Extractor failed'));
      assert.ok(!crash, `case ${i} (seed ${SEED}): ${crash?.message}\n--- input:\n${text}`);
      assert.ok(ms < PER_CASE_MS, `case ${i} (seed ${SEED}) took ${ms.toFixed(0)} ms\n--- input:\n${text}`);
      for (const m of facts.constants) for (const e of m.entries) assert.ok(e.line >= 1, `case ${i}: entry line`);
    }
    assert.ok(worst < PER_CASE_MS);
  });

  it('survives pathological branches: unclosed code lists, huge match blocks, nested PHP match', () => {
    const cases: Array<[FileKind, string]> = [
      ['python', 'def f(x):\n    if x in (' + '1, '.repeat(20_000) + '\n        return "a"\n'],
      ['python', 'def f(x):\n    match x:\n' + Array.from({ length: 5000 }, (_, i) => `        case ${i}:\n            return "v${i}"\n`).join('')],
      ['python', 'def f(x):\n' + '    elif x == 1: return "a"\n'.repeat(5000)],
      ['php', '<?php return ' + 'match ($x) { 1 => '.repeat(3000) + "'a'" + ' }'.repeat(3000) + ';'],
      ['php', '<?php enum E: int { case A = 1; case B = 2; ' + 'function f() { return match ($this) { self::A => '.repeat(2000) + '} }'],
      ['java', 'class A { String f(int c) { return switch (c) { ' + 'case 1, '.repeat(5000) + '2 -> "x"; }; } }'],
      ['php', "<?php DB::table('t0 as a0')" + Array.from({ length: 5000 }, (_, i) => `->join('t${i + 1} as a${i + 1}', 'a${i + 1}.id', '=', 'a${i}.t${i + 1}_id')`).join('') + '->get();'],
      ['python', Array.from({ length: 3000 }, (_, i) => `${'    '.repeat(i % 40)}class M${i}(models.Model):\n${'    '.repeat(i % 40)}    f = models.ForeignKey('M${i + 1}', db_column='c')\n`).join('')],
      ['java', '@Entity class A { ' + Array.from({ length: 3000 }, (_, i) => `@ManyToOne @JoinColumn(name = "c${i}") @Entity class B${i} { @Id Long id; `).join('') + ' }'],
      ['java', '@Entity class A { ' + '@ManyToOne(' .repeat(3000) + ' }'],
      ['php', '<?php #[ORM\\Entity] class A { ' + Array.from({ length: 3000 }, (_, i) => `#[ORM\\ManyToOne] #[ORM\\JoinColumn(name: 'c${i}')] #[ORM\\Entity] class B${i} { private ?B $b${i}; `).join('') + ' }'],
      ['php', '<?php /** @ORM\\Entity */ class A { /** ' + '@ORM\\JoinColumns({ @ORM\\JoinColumn(name="x", '.repeat(3000) + ' */ private $a; }'],
      ['php', '<?php #[ORM\\Entity] class A { ' + '#['.repeat(5000) + ' private $a; }'],
      ['kotlin', '@Entity class A(' + Array.from({ length: 3000 }, (_, i) => `@ManyToOne @JoinColumn(name = "c${i}") val b${i}: List<B${i}`).join(', ')],
      ['kotlin', Array.from({ length: 3000 }, (_, i) => `fun f${i}(c: Int) = when (c) { 1 -> "a" ${i % 2 ? '}' : ''}`).join('\n') + ' enum class E(val c: Int) {' + 'A(1), '.repeat(3000)],
      ['kotlin', Array.from({ length: 3000 }, (_, i) => `object T${i} : Table("t${i}") { val c = integer("c").references(T${i + 1}.id) val d = reference("d", `).join('')],
      ['kotlin', 'class A { ' + '} companion object { const val X = 1\n'.repeat(3000)],
      ['csharp', '[Table("t")] class A { ' + Array.from({ length: 3000 }, (_, i) => `[ForeignKey("B${i}")] public int C${i} { get; set; } public B${i} B${i} { get; set; } public ICollection<D${i}> E${i} { get; `).join('')],
      ['csharp', 'enum E { ' + 'A, [X] '.repeat(5000) + ' } var x = c switch { ' + '1 or 2 or '.repeat(5000) + ' var d = $"' + '{{ {a} '.repeat(5000)],
      ['csharp', 'class C { void M(ModelBuilder b) { b.Entity<A>(e => { ' + Array.from({ length: 3000 }, (_, i) => `e.HasOne(d => d.B${i}).WithMany().HasForeignKey(d => d.C${i}); b.Entity<B${i}>(e => { `).join('')],
      ['csharp', 'class C { void M(ModelBuilder b) { ' + Array.from({ length: 3000 }, (_, i) => `var e${i} = b.Entity<B${i}>(); e${i}.ToTable("t${i}"); `).join('') + '} }'],
      ['csharp', 'class C { void M(ModelBuilder b) { b.Entity<A>(e => e.HasMany(d => d.B).WithMany(d => d.A).UsingEntity<Dictionary<string, object>>("AB", ' + 'r => r.HasOne<B>().WithMany().HasForeignKey("B"), '.repeat(3000) + ')); } }'],
      ['csharp', 'class C { void M(ModelBuilder b) { ' + 'b.Entity<'.repeat(5000) + Array.from({ length: 3000 }, (_, i) => `class C${i} : IEntityTypeConfiguration<A${i}> { public void Configure(EntityTypeBuilder<A${i}> b) { b.ToTable("t"); `).join('')],
      ['go', 'const (\n' + 'A = iota << 1 + 2 * 3\n'.repeat(5000) + ')\n' + Array.from({ length: 3000 }, (_, i) => `type T${i} struct {\n ID uint\n B${i} B${i + 1}\n C []C${i} \`gorm:"many2many:x;"\`\n`).join('')],
      ['go', 'func f(c int) string { switch c { ' + 'case 1, 2, '.repeat(5000) + ' } }' + 'var m = map[int]string{' + '1: "a", '.repeat(5000)],
      ['python', 'import pandas as pd\no = pd.read_sql_table("o", e)\nr = o' + Array.from({ length: 5000 }, (_, i) => `.merge(pd.read_sql_table("t${i}", e), on="id")`).join('') + '\n'],
      ['python', 'orders = spark.table("s.o")\nr = orders' + Array.from({ length: 8000 }, (_, i) => `.join(spark.table("t${i}"), "id")`).join('') + '\n'],
      ['python', 'x = spark.table("a")' + Array.from({ length: 3000 }, (_, i) => `.join(spark.table("b${i}").alias("b${i}"), F.col("a.x") == F.col("b${i}.y")`).join('')],
      ['python', Array.from({ length: 3000 }, (_, i) => `t${i} = spark.table("s.t${i}")\nj${i} = t${i}.join(t${i + 1}, t${i}.id == t${i + 1}.t_id, "left")`).join('\n')],
      ['python', 'q = s.query(A)' + Array.from({ length: 3000 }, (_, i) => `.join(B${i}, and_(A.x == B${i}.y, `).join('')],
      ['python', Array.from({ length: 3000 }, (_, i) => `A${i} = aliased(B${i}`).join('\n') + '\n' + 'x = relationship(A, primaryjoin="' + 'A.x == B.y and '.repeat(3000) + '"'],
      ['php', '<?php class A extends Model { ' + Array.from({ length: 3000 }, (_, i) => `function f${i}() { return $this->belongsTo(B${i}::class); class B${i} extends Model { `).join('')],
      ['typescript', '@Entity() class A { ' + Array.from({ length: 3000 }, (_, i) => `@ManyToOne(() => B${i}) @JoinColumn({ name: 'c${i}' }) b${i}!: B; @Entity() class B${i} { `).join('')],
      ['python', 'class A(Base):\n    __tablename__ = "a"\n' + '    x = Column(Integer, ForeignKey("b.id"), '.repeat(3000) + '\n'],
      ['php', "<?php Schema::create('t', function (Blueprint $table) { " + Array.from({ length: 3000 }, (_, i) => `$table->foreignId('c${i}_id')->constrained(); Schema::table('u${i}', function (Blueprint $table) { `).join('')],
      ['php', "<?php Schema::create('t', function (Blueprint $table) { $table" + "->foreign('a')->references('id')".repeat(5000) + "->on('u'); });"],
      ['python', "op.create_table('t',\n" + "    sa.Column('c', sa.ForeignKey('u.id')), op.create_table('v',\n".repeat(3000)],
      ['python', Array.from({ length: 3000 }, (_, i) => `with op.batch_alter_table('t${i}') as b${i}:\n    b${i}.create_foreign_key('f', 'u', ['a'], ['b'])\n`).join('')],
      ['prisma', Array.from({ length: 3000 }, (_, i) => `model M${i} {\n  a Int @map("a")\n  b M${i + 1} @relation(fields: [a], references: [id]) @relation(fields: [`).join('')],
      ['prisma', 'model M {\n' + '  f Int @default(('.repeat(5000) + '\n}\n'],
      ['ruby', Array.from({ length: 3000 }, (_, i) => `${'  '.repeat(i % 50)}module M${i}\n${'  '.repeat(i % 50)}  A${i} = 1\n${'  '.repeat(i % 50)}  B${i} = 2\n`).join('')],
      ['ruby', Array.from({ length: 3000 }, (_, i) => `def f${i}(x)\n  case x\n  when 1 then "a"\n  when 2 then "b"\n  end\nend\n`).join('')],
      ['ruby', 'x = f(' + '<<~A, '.repeat(3000) + ')\n' + 'body\nA\n'.repeat(10)],
      ['ruby', 'class A\n  enum s: { ' + Array.from({ length: 20000 }, (_, i) => `v${i}: ${i}`).join(', ') + ' }\nend\n'],
      ['ruby', '"' + '#{'.repeat(20000)],
      ['ruby', Array.from({ length: 3000 }, (_, i) => `${'  '.repeat(i % 40)}class M${i} < ApplicationRecord\n${'  '.repeat(i % 40)}  belongs_to :m${i + 1}, class_name: "M${i + 1}"\n${'  '.repeat(i % 40)}  has_many :things\n`).join('')],
      ['ruby', Array.from({ length: 3000 }, (_, i) => `create_table "t${i}" do |t|\n  t.references :r${i}, foreign_key: true,\n`).join('')],
      ['javascript', Array.from({ length: 3000 }, (_, i) => `knex.schema.createTable('t${i}', (t) => { t.integer('c${i}').references('x.id'); `).join('')],
      ['typescript', Array.from({ length: 3000 }, (_, i) => `export const t${i} = pgTable('t${i}', { a: integer('a').references(() => t${i + 1}.id), `).join('')],
      ['javascript', Array.from({ length: 3000 }, (_, i) => `class M${i} extends Model { static associate(models) { this.belongsTo(models.N${i}); this.hasMany(models.K${i}); `).join('')],
      ['javascript', 'const sequelize = 1; ' + Array.from({ length: 3000 }, (_, i) => `M${i}.init({ a${i}: { references: { model: 'm${i}' } }, `).join('')],
      ['typescript', 'const q = knex("t0")' + Array.from({ length: 3000 }, (_, i) => `.join('t${i + 1}', function () { this.on('t${i + 1}.id', '=', 't0.id')`).join('')],
    ];
    for (const [i, [kind, text]] of cases.entries()) {
      const t0 = performance.now();
      const facts = extractFile(`p${i}.${kind === 'python' ? 'py' : kind}`, Buffer.from(text), { dbtProjects: [] }, kind);
      const ms = performance.now() - t0;
      assert.ok(!facts.diagnostics.some((d) => d.message.startsWith('Extractor failed')), `pathological ${i}: ${facts.diagnostics[0]?.message}`);
      assert.ok(ms < 1000, `pathological ${i} took ${ms.toFixed(0)} ms`);
    }
  });
});
