/* cxmine — mine customer journeys from event logs.  The umbrella header. */
#pragma once

#include "cxmine/log.h"
#include "cxmine/sink.h"
#include "cxmine/reader.h"
#include "cxmine/timestamp.h"
#include "cxmine/timefmt.h"
#include "cxmine/summary.h"
#include "cxmine/json-writer.h"
#include "cxmine/output.h"
#include "cxmine/log-writer.h"
#include "cxmine/variants.h"
#include "cxmine/stats.h"
#include "cxmine/dfg.h"
#include "cxmine/dot-writer.h"
#include "cxmine/outcome.h"
#include "cxmine/stattest.h"
#include "cxmine/compare.h"
