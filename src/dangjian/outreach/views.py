"""Evidence photos of a ledger entry, uploaded and deleted from its detail page (the entry
itself is a register of the kit); the pages are the register kit's photo gallery's."""

from dangjian.outreach import services

photo_add, photo_delete = services.PHOTOS.views()
