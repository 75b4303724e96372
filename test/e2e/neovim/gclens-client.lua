-- Headless Neovim 0.7 as a second real LSP client: starts the GC Lens server over stdio for the Python file given
-- on the command line, checks diagnostics, hover, fix-all and a code action (applied), writes a report, exits 0 (1 on failure).
-- Run: GCLENS_SERVER=dist/server.js GCLENS_NVIM_REPORT=out.txt nvim --headless -n -i NONE -u gclens-client.lua file.py

local server = assert(os.getenv('GCLENS_SERVER'), 'GCLENS_SERVER: path to dist/server.js')
local report_path = assert(os.getenv('GCLENS_NVIM_REPORT'), 'GCLENS_NVIM_REPORT: where to write the report')
local timeout_ms = tonumber(os.getenv('GCLENS_NVIM_TIMEOUT_MS') or '20000')

local report = {}
local function say(line) table.insert(report, line) end

local function finish(ok)
  local file = assert(io.open(report_path, 'w'))
  file:write(table.concat(report, '\n') .. '\n')
  file:close()
  vim.cmd(ok and 'qall!' or 'cquit!')
end

local function fail(message)
  say('FAIL ' .. message)
  finish(false)
end

local function diagnostic_lines(bufnr)
  local lines = {}
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    table.insert(lines, string.format('%d:%d %s %s sev=%d %s', d.lnum + 1, d.col + 1, tostring(d.code), d.source or '', d.severity, d.message))
  end
  table.sort(lines)
  return lines
end

local function run_checks(bufnr, client)
  local started = vim.loop.hrtime()
  if not vim.wait(timeout_ms, function() return #vim.diagnostic.get(bufnr) > 0 end, 20) then
    return fail('no diagnostics within ' .. timeout_ms .. ' ms')
  end
  say(string.format('TIMING diagnostics %d ms after attach', (vim.loop.hrtime() - started) / 1e6))
  local before = diagnostic_lines(bufnr)
  for _, line in ipairs(before) do say('DIAG ' .. line) end

  -- Hover: the refcount hover over the name of the function on the first finding's line (simulated module code
  -- ran its `def`), and over a parameter (the function body never ran). The first line of each is reported.
  local caps = client.server_capabilities or client.resolved_capabilities or {}
  say('HOVER_PROVIDER ' .. tostring(caps.hoverProvider or caps.hover or false))
  local first = vim.diagnostic.get(bufnr)[1]
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    if d.lnum < first.lnum or (d.lnum == first.lnum and d.col < first.col) then first = d end
  end
  local position = { line = first.lnum, character = first.col }
  local uri = vim.uri_from_bufnr(bufnr)
  local line_text = vim.api.nvim_buf_get_lines(bufnr, first.lnum, first.lnum + 1, false)[1]
  for _, word in ipairs({ 'add_item', 'cart' }) do
    local at = line_text:find(word, 1, true)
    if not at then return fail('no ' .. word .. ' on line ' .. (first.lnum + 1)) end
    local hover, hover_err = client.request_sync('textDocument/hover', { textDocument = { uri = uri }, position = { line = first.lnum, character = at - 1 } }, 10000, bufnr)
    if hover and hover.err then
      say('HOVER_ERROR ' .. tostring(hover.err.code) .. ' ' .. tostring(hover.err.message))
    elseif hover and hover.result then
      local contents = hover.result.contents
      local text = type(contents) == 'table' and (contents.value or '') or tostring(contents)
      say('HOVER ' .. word .. ': ' .. vim.split(text, '\n', true)[1])
    elseif hover then
      say('HOVER ' .. word .. ': null')
    else
      say('HOVER_ERROR ' .. tostring(hover_err))
    end
  end

  -- Fix-all over workspace/executeCommand: GCL001's fixes are all unsafe, so nothing is applied.
  local fix_all = client.request_sync('workspace/executeCommand', { command = 'gclens.fixAll', arguments = { uri } }, 5000, bufnr)
  if not fix_all or fix_all.err then return fail('gclens.fixAll: ' .. vim.inspect(fix_all)) end
  say('FIXALL applied=' .. tostring(fix_all.result and fix_all.result.applied))

  -- The simulate command is plain LSP too: the trace text and the result (the HTML report is VS Code's to show).
  local sim = client.request_sync('workspace/executeCommand', { command = 'gclens.simulate', arguments = { { uri = uri } } }, 15000, bufnr)
  if not sim or sim.err then return fail('gclens.simulate: ' .. vim.inspect(sim)) end
  say('SIMULATE end=' .. sim.result['end'].kind .. ' trace=' .. vim.split(sim.result.traceText, '\n')[1])

  -- Code actions for the first finding, with the diagnostics the client holds for that line.
  local range = { start = position, ['end'] = { line = first.end_lnum, character = first.end_col } }
  local context = { diagnostics = vim.lsp.diagnostic.get_line_diagnostics(bufnr, first.lnum) }
  local response = client.request_sync('textDocument/codeAction', { textDocument = { uri = uri }, range = range, context = context }, 5000, bufnr)
  if not response or response.err then return fail('codeAction: ' .. vim.inspect(response)) end
  local chosen
  for _, action in ipairs(response.result or {}) do
    say('ACTION ' .. action.title .. ' kind=' .. tostring(action.kind))
    if not chosen and action.edit and action.title:find('to None', 1, true) then chosen = action end
  end
  if not chosen then return fail('no None-sentinel quick fix offered') end

  vim.lsp.util.apply_workspace_edit(chosen.edit, client.offset_encoding or 'utf-16')
  say('APPLIED ' .. chosen.title)
  say('LINE ' .. vim.api.nvim_buf_get_lines(bufnr, first.lnum, first.lnum + 1, false)[1])
  if not vim.wait(timeout_ms, function() return #vim.diagnostic.get(bufnr) == #before - 1 end, 20) then
    return fail('the finding did not go after the fix: ' .. table.concat(diagnostic_lines(bufnr), ' | '))
  end
  for _, line in ipairs(diagnostic_lines(bufnr)) do say('AFTER ' .. line) end
  finish(true)
end

vim.api.nvim_create_autocmd('FileType', {
  pattern = 'python',
  once = true,
  callback = function(event)
    local bufnr = event.buf
    local client_id = vim.lsp.start_client({
      name = 'gclens',
      cmd = { 'node', server, '--stdio' },
      root_dir = vim.fn.getcwd(),
      handlers = {
        -- The server's log lines (which parser backend it loaded, fallbacks) go into the report.
        ['window/logMessage'] = function(_, result) say('LOG ' .. result.message) end,
      },
      on_exit = function(code, signal)
        if code ~= 0 then io.stderr:write(string.format('gclens server exited with %d (signal %d)\n', code, signal)) end
      end,
    })
    if not client_id then return fail('could not start ' .. server) end
    vim.lsp.buf_attach_client(bufnr, client_id)
    vim.defer_fn(function()
      local client = vim.lsp.get_client_by_id(client_id)
      local ok, err = pcall(run_checks, bufnr, client)
      if not ok then fail(tostring(err)) end
    end, 0)
  end,
})

-- Whatever happens, never hang the test run.
vim.defer_fn(function() fail('overall timeout') end, 3 * timeout_ms)
