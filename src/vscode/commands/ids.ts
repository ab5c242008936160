/** Every command Quarry contributes. The manifest (package.json) and this list must agree: a unit test checks it. */
export const CommandIds = {
  showLog: 'quarry.showLog',
  openSettings: 'quarry.openSettings',
  refreshExplorer: 'quarry.refreshExplorer',
  reindexWorkspace: 'quarry.reindexWorkspace',
  filterExplorer: 'quarry.filterExplorer',
  clearExplorerFilter: 'quarry.clearExplorerFilter',
  goToTable: 'quarry.goToTable',
  revealInExplorer: 'quarry.revealInExplorer',
  showTableDdl: 'quarry.showTableDdl',
  searchIndex: 'quarry.searchIndex',
  openDocument: 'quarry.openDocument',
  refreshDocuments: 'quarry.refreshDocuments',
  runQuery: 'quarry.runQuery',
  runFile: 'quarry.runFile',
  selectConnection: 'quarry.selectConnection',
  addConnection: 'quarry.addConnection',
  showHistory: 'quarry.showHistory',
  selectTop100: 'quarry.selectTop100',
  cancelQuery: 'quarry.cancelQuery',
  proposeJoins: 'quarry.proposeJoins',
  verifyJoin: 'quarry.verifyJoin',
  insertJoinSql: 'quarry.insertJoinSql',
  openCardinalitySql: 'quarry.openCardinalitySql',
  exportRelationships: 'quarry.exportRelationships',
} as const;

export type CommandId = (typeof CommandIds)[keyof typeof CommandIds];
