-- Drives nsa-migrate's language server from Neovim's own LSP client (headless), for
-- tests/editor_neovim.rs: opens fixture files, waits for their diagnostics, prints them, applies
-- a quick fix and the fix-all action through vim.lsp.buf.code_action, and writes the buffers.
-- Written for Neovim 0.7 (Debian 12's) and later. Environment: NSA_MIGRATE_BIN (the binary),
-- NSA_ROOT (the app, the workspace folder), NSA_OUT (where the printed lines go).

local bin = os.getenv('NSA_MIGRATE_BIN')
local root = os.getenv('NSA_ROOT')
local out_path = os.getenv('NSA_OUT')
local printed = {}

local function say(line)
  table.insert(printed, line)
end

local function finish(code)
  local file = io.open(out_path, 'w')
  file:write(table.concat(printed, '\n') .. '\n')
  file:close()
  if code == 0 then
    vim.cmd('qall!')
  else
    vim.cmd('cquit ' .. code)
  end
end

-- Every publishDiagnostics, counted per buffer, so a test can wait for the next one.
local published = {}
local default_publish = vim.lsp.handlers['textDocument/publishDiagnostics']
vim.lsp.handlers['textDocument/publishDiagnostics'] = function(err, result, ctx, config)
  default_publish(err, result, ctx, config)
  local bufnr = vim.uri_to_bufnr(result.uri)
  published[bufnr] = (published[bufnr] or 0) + 1
end

-- The server's log messages go to the printed lines (none are expected).
vim.lsp.handlers['window/logMessage'] = function(_, result)
  say('log: ' .. result.message)
end

local function relative(bufnr)
  return vim.api.nvim_buf_get_name(bufnr):sub(#root + 2)
end

local client_id = vim.lsp.start_client({
  name = 'nsa-migrate',
  cmd = { bin, 'lsp' },
  root_dir = root,
  workspace_folders = { { uri = vim.uri_from_fname(root), name = 'app' } },
  init_options = { to = '15' },
})

local function wait(what, condition)
  if not vim.wait(20000, condition, 10) then
    error('timed out waiting for ' .. what)
  end
end

-- Waits for the buffer's next publishDiagnostics after `seen` of them, and prints its diagnostics.
local function print_diagnostics(bufnr, seen)
  wait('diagnostics of ' .. relative(bufnr), function()
    return (published[bufnr] or 0) > seen
  end)
  local diagnostics = vim.diagnostic.get(bufnr)
  table.sort(diagnostics, function(a, b)
    return a.lnum < b.lnum or (a.lnum == b.lnum and a.col < b.col)
  end)
  say(string.format('%s: %d diagnostics', relative(bufnr), #diagnostics))
  for _, d in ipairs(diagnostics) do
    local code = d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code)
    say(string.format('  %d:%d %s %s[%s]: %s', d.lnum + 1, d.col + 1, d.source, vim.diagnostic.severity[d.severity], code, d.message))
  end
  return diagnostics
end

local function open(path)
  vim.cmd('edit ' .. vim.fn.fnameescape(root .. '/' .. path))
  local bufnr = vim.api.nvim_get_current_buf()
  vim.lsp.buf_attach_client(bufnr, client_id)
  return bufnr
end

-- Runs vim.lsp.buf.code_action at the cursor, picks the action whose title holds `title`, and
-- waits until it changed the buffer.
local function code_action(bufnr, only, title)
  local tick = vim.api.nvim_buf_get_changedtick(bufnr)
  local chosen = nil
  vim.ui.select = function(items, opts, on_choice)
    for _, item in ipairs(items) do
      local action = item[2]
      if action.title:find(title, 1, true) then
        chosen = action.title
        return on_choice(item)
      end
    end
    local titles = {}
    for _, item in ipairs(items) do
      table.insert(titles, item[2].title)
    end
    error('no code action titled ' .. title .. ' among: ' .. table.concat(titles, '; '))
  end
  vim.lsp.buf.code_action({ only = { only } })
  wait('the code action "' .. title .. '"', function()
    return vim.api.nvim_buf_get_changedtick(bufnr) ~= tick
  end)
  say('applied: ' .. chosen)
end

local ok, problem = xpcall(function()
  assert(client_id, 'the language server did not start')

  -- Three rules on one module: a quick fix for the first diagnostic, then fix-all.
  local actions = open('app/actions.ts')
  local diagnostics = print_diagnostics(actions, 0)
  vim.api.nvim_win_set_cursor(0, { diagnostics[1].lnum + 1, diagnostics[1].col })
  local seen = published[actions]
  code_action(actions, 'quickfix', 'directive-placement')
  print_diagnostics(actions, seen)
  seen = published[actions]
  code_action(actions, 'source.fixAll.nsa-migrate', 'fix all')
  print_diagnostics(actions, seen)

  -- The folder rule: its quick fix creates app/posts/actions.ts.
  local item = open('app/posts/post-item.tsx')
  diagnostics = print_diagnostics(item, 0)
  vim.api.nvim_win_set_cursor(0, { diagnostics[1].lnum + 1, diagnostics[1].col })
  seen = published[item]
  code_action(item, 'quickfix', 'hoist-inline-actions')
  print_diagnostics(item, seen)

  -- A finding: printed, nothing to fix.
  print_diagnostics(open('pages/legacy.ts'), 0)

  vim.cmd('wall')
end, debug.traceback)

if not ok then
  say('error: ' .. tostring(problem))
  finish(1)
else
  finish(0)
end
