import { isWarehouseRelation, type TableDef } from '../../core/catalog/model';
import { qualifiedName } from '../../core/catalog/ddlWriter';
import { NextTokenGuard } from '../../core/paging';
import { asCreateView, showVerb } from '../../core/catalog/showDdl';
import type { ConnectionService } from './connectionService';
import type { OutputLogger } from '../util/log';

/**
 * DDL from the warehouse itself (`SHOW TABLE` / `SHOW VIEW` on Redshift) when a connection is active;
 * undefined when there is none or the warehouse cannot answer, so the caller rebuilds it from the catalog.
 */
export function liveDdlProvider(connections: ConnectionService, log: OutputLogger): (table: TableDef) => Promise<string | undefined> {
  return async (table) => {
    if (!connections.activeProfile() || !isWarehouseRelation(table)) return undefined;
    const verb = showVerb(table);
    try {
      // in an untrusted workspace this throws: the catalog's DDL is then the answer
      const engine = await connections.engine();
      const outcome = await engine.execute(`SHOW ${verb} ${qualifiedName(table.schema, table.name)}`);
      if (outcome.status !== 'FINISHED' || !outcome.hasResultSet) {
        log.warn(`SHOW ${verb} on ${engine.label} did not answer (${outcome.error ?? outcome.status}); using the workspace catalog.`);
        return undefined;
      }
      const lines: string[] = [];
      const pages = new NextTokenGuard('GetStatementResult');
      let token: string | undefined;
      do {
        const page = await engine.fetchPage(outcome.id, token);
        for (const row of page.rows) lines.push(row.map((v) => (v === null ? '' : String(v))).join(''));
        token = pages.next(page.nextToken);
      } while (token);
      const ddl = verb === 'VIEW' ? asCreateView(table, lines.join('\n')) : lines.join('\n');
      return `-- ${table.schema}.${table.name} from ${engine.label} (SHOW ${verb})\n${ddl}\n`;
    } catch (err) {
      log.error(`SHOW ${verb} failed`, err);
      return undefined;
    }
  };
}
